package io.purifier.server.auth;

import java.time.Instant;

/**
 * A user of the server.
 *
 * @param id        database id
 * @param name      unique name
 * @param role      what the user may do
 * @param createdAt when the user was added
 * @param revokedAt when the user's access was revoked, or null
 */
public record User(long id, String name, Role role, Instant createdAt, Instant revokedAt) {

    /** Whether the user may still sign in. */
    public boolean active() {
        return revokedAt == null;
    }
}
