package io.purifier.bench;

import io.purifier.server.auth.Role;
import io.purifier.server.store.Database;
import io.purifier.server.store.UserStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The benchmark acts as its own user, with the role it needs, without touching other users. */
class EmbeddedServerTest {

    @TempDir
    Path dir;

    @Test
    void the_bench_user_is_reused_when_it_has_the_role_and_another_name_is_chosen_otherwise() {
        try (Database db = Database.open(dir)) {
            UserStore users = new UserStore(db);
            assertEquals("bench", EmbeddedServer.userFor(users, Role.RESEARCHER));
            users.add("bench", Role.RESEARCHER);
            assertEquals("bench", EmbeddedServer.userFor(users, Role.RESEARCHER));
            assertEquals("bench-admin", EmbeddedServer.userFor(users, Role.ADMIN));
            users.add("bench-admin", Role.ADMIN);
            users.revoke("bench-admin");
            assertEquals("bench-admin-3", EmbeddedServer.userFor(users, Role.ADMIN));
        }
    }
}
