package io.purifier.server.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.purifier.server.store.RunRecords.StepPlan;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkerTokenStoreTest {

    @TempDir
    Path dir;
    Database db;
    RunStore runs;
    WorkerTokenStore tokens;

    @BeforeEach
    void open() {
        db = Database.open(dir);
        runs = new RunStore(db, new ObjectMapper());
        tokens = new WorkerTokenStore(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private long run() {
        return runs.create("r", new ObjectMapper().createObjectNode(), 1, "alice", "owner", List.of(new StepPlan("dataset", "d", "load")));
    }

    @Test
    void a_credential_grants_its_run_until_it_expires() {
        long runId = run();
        Instant expiry = Instant.parse("2030-01-01T00:00:00Z");
        String token = tokens.issue(runId, expiry);
        assertTrue(token.startsWith(WorkerTokenStore.PREFIX) && token.length() > 40, token);
        WorkerTokenStore.Grant grant = tokens.find(token).orElseThrow();
        assertEquals(runId, grant.runId());
        assertFalse(grant.expiredAt(expiry.minusSeconds(1)));
        assertTrue(grant.expiredAt(expiry));
    }

    @Test
    void only_the_hash_is_stored_and_user_tokens_are_never_worker_credentials() throws Exception {
        String token = tokens.issue(run(), Instant.now().plusSeconds(60));
        try (var c = db.connection(); var rs = c.createStatement().executeQuery("SELECT token_hash FROM worker_tokens")) {
            rs.next();
            assertEquals(UserStore.hash(token), rs.getString(1));
        }
        assertTrue(tokens.find("pur_" + token.substring(4)).isEmpty());
        assertTrue(tokens.find(null).isEmpty());
    }

    @Test
    void revoking_a_run_ends_its_credentials_and_a_restart_revokes_those_of_ended_runs() {
        long first = run();
        long second = run();
        String a = tokens.issue(first, Instant.now().plusSeconds(60));
        String b = tokens.issue(second, Instant.now().plusSeconds(60));
        tokens.revoke(first);
        assertTrue(tokens.find(a).isEmpty());
        assertTrue(tokens.find(b).isPresent());
        assertEquals(0, tokens.revokeEnded(), "a queued run keeps its credential");
        runs.finished(second, RunStatus.INTERRUPTED, "server stopped");
        assertEquals(1, tokens.revokeEnded());
        assertTrue(tokens.find(b).isEmpty());
    }
}
