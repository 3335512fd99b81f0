package io.purifier.server.store;

import io.purifier.server.auth.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.ResultSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UserStoreTest {

    @TempDir
    Path dir;
    Database db;
    UserStore users;

    @BeforeEach
    void open() {
        db = Database.open(dir);
        users = new UserStore(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void a_new_token_authenticates_its_user_with_the_role() {
        String token = users.add("alice", Role.RESEARCHER);
        assertTrue(token.startsWith("pur_") && token.length() > 40, token);
        var user = users.authenticate(token).orElseThrow();
        assertEquals("alice", user.name());
        assertEquals(Role.RESEARCHER, user.role());
        assertTrue(users.authenticate(token + "x").isEmpty());
        assertTrue(users.authenticate("").isEmpty());
    }

    @Test
    void only_the_hash_of_a_token_is_stored() throws Exception {
        String token = users.add("bob", Role.VIEWER);
        try (var c = db.connection(); var st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT token_hash FROM tokens")) {
            assertTrue(rs.next());
            String stored = rs.getString(1);
            assertEquals(UserStore.hash(token), stored);
            assertFalse(stored.contains(token.substring(4, 20)));
        }
    }

    @Test
    void revoking_a_user_stops_every_token() {
        String first = users.add("carol", Role.ADMIN);
        String second = users.issueToken("carol");
        users.revoke("carol");
        assertTrue(users.authenticate(first).isEmpty());
        assertTrue(users.authenticate(second).isEmpty());
        assertFalse(users.find("carol").orElseThrow().active());
        assertThrows(IllegalArgumentException.class, () -> users.issueToken("carol"));
    }

    @Test
    void refuses_bad_and_duplicate_names_with_the_name_in_the_message() {
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> users.add("no spaces", Role.VIEWER));
        assertTrue(bad.getMessage().contains("no spaces"));
        users.add("dave", Role.VIEWER);
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class, () -> users.add("dave", Role.ADMIN));
        assertTrue(dup.getMessage().contains("already exists"));
    }

    @Test
    void roles_include_lower_roles() {
        assertTrue(Role.ADMIN.includes(Role.RESEARCHER));
        assertTrue(Role.RESEARCHER.includes(Role.VIEWER));
        assertFalse(Role.VIEWER.includes(Role.RESEARCHER));
        assertEquals(Role.ADMIN, Role.parse("Admin"));
        assertThrows(IllegalArgumentException.class, () -> Role.parse("root"));
    }
}
