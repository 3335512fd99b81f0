package io.purifier.server;

import io.purifier.client.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server stopped with {@code SIGTERM} while clients keep calling it answers every request it still accepts from
 * an open database: H2's own exit hook used to close the database under the HTTP server, and the requests in that
 * window got 500s ("Database is already closed"; seen when a benchmark matrix on Slurm was stopped).
 */
class GracefulShutdownIT {

    private static final int CLIENTS = 4;

    @TempDir
    Path dir;

    @Test
    void requests_during_sigterm_get_an_answer_or_a_closed_connection_never_a_500() throws Exception {
        Path home = TestHome.create(dir, true);
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        List<String> serverErrors = new CopyOnWriteArrayList<>();
        AtomicInteger refused = new AtomicInteger();
        String token;
        try (ServerProcess server = ServerProcess.start(home, dir)) {
            token = TestHome.adminToken(home);
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                ApiClient api = new ApiClient(URI.create("http://127.0.0.1:" + server.port()), token, Duration.ofSeconds(30));
                String path = c % 2 == 0 ? "/api/me" : "/api/runs";
                Thread client = new Thread(() -> {
                    while (server.isAlive()) {
                        try {
                            ApiClient.Response r = api.get(path);
                            statuses.computeIfAbsent(r.status(), s -> new AtomicInteger()).incrementAndGet();
                            if (r.status() >= 500) {
                                serverErrors.add(path + " -> " + r.raw());
                            }
                        } catch (IOException closed) {
                            refused.incrementAndGet();
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }, "client-" + c);
                client.start();
                clients.add(client);
            }
            TestBundles.await("the clients to be answered 200 times", 60_000,
                    () -> statuses.getOrDefault(200, new AtomicInteger()).get() >= 200);
            server.process().destroy();
            assertTrue(server.process().waitFor(60, TimeUnit.SECONDS), "the server stops on SIGTERM");
            for (Thread client : clients) {
                client.join(40_000);
            }
        }
        assertEquals(List.of(), serverErrors, "answers during shutdown (statuses " + statuses + ", " + refused + " refused)");
        assertEquals(Map.of(200, statuses.get(200)), Map.copyOf(statuses), "only 200s");

        try (PurifierServer restarted = PurifierServer.start(TestHome.config(home, Map.of()), true, null)) {
            assertEquals(200, new ApiClient(restarted.port(), token).get("/api/me").status(),
                    "the database closed by the exit hook opens again with its users");
        }
    }
}
