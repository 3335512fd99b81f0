package io.purifier.server.auth;

import java.util.Locale;

/** What a user may do. Each role includes the rights of the roles below it. */
public enum Role {
    /** Read everything: components, runs, history. */
    VIEWER,
    /** Also run pipelines, upload models, cancel own runs, manage the attack cache. */
    RESEARCHER,
    /** Also deploy and remove code (bundles) and manage users. */
    ADMIN;

    /** Whether this role has at least the rights of {@code needed}. */
    public boolean includes(Role needed) {
        return ordinal() >= needed.ordinal();
    }

    /** Lower-case name used in JSON and on the command line. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a role name.
     *
     * @throws IllegalArgumentException naming the value and the accepted roles
     */
    public static Role parse(String value) {
        for (Role role : values()) {
            if (role.name().equalsIgnoreCase(value)) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role '" + value + "' (expected admin, researcher or viewer)");
    }
}
