package io.purifier.bench.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.purifier.client.ApiClient;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Hot-deploy latency: repeated cycles of jar moved into {@code deploy/} → listed by {@code GET /api/components},
 * jar deleted → gone, {@code POST /api/bundles} → listed, {@code DELETE /api/bundles/{bsn}} → gone. Each duration
 * runs from the action to the first component list that shows the change.
 */
final class HotDeployProbe {

    static final long POLL_MS = 10;
    private static final long DEADLINE_MS = 60_000;

    private final ApiClient api;
    private final PrintStream out;

    HotDeployProbe(ApiClient api, PrintStream out) {
        this.api = api;
        this.out = out;
    }

    /** Runs {@code repeats} cycles with {@code jar} (symbolic name {@code bsn}) into {@code deployDir}. */
    List<ServerBenchReport.Deploy> measure(Path jar, String bsn, Path deployDir, int repeats) throws Exception {
        Path deployed = deployDir.resolve(jar.getFileName());
        List<Double> moved = new ArrayList<>();
        List<Double> deleted = new ArrayList<>();
        List<Double> uploaded = new ArrayList<>();
        List<Double> removed = new ArrayList<>();
        for (int r = 1; r <= repeats; r++) {
            Path part = deployDir.resolve("." + jar.getFileName() + ".part");
            Files.copy(jar, part, StandardCopyOption.REPLACE_EXISTING);
            long t = System.nanoTime();
            Files.move(part, deployed, StandardCopyOption.ATOMIC_MOVE);
            moved.add(awaitListed(bsn, true, t));

            t = System.nanoTime();
            Files.delete(deployed);
            deleted.add(awaitListed(bsn, false, t));
            awaitBundleGone(bsn);

            t = System.nanoTime();
            expect(api.postFile("/api/bundles?filename=" + jar.getFileName(), jar), "POST /api/bundles of " + jar.getFileName(), 200, 201);
            uploaded.add(awaitListed(bsn, true, t));

            t = System.nanoTime();
            expect(api.delete("/api/bundles/" + bsn), "DELETE /api/bundles/" + bsn, 204);
            removed.add(awaitListed(bsn, false, t));
            awaitBundleGone(bsn);
            out.printf("hot deploy %d/%d: deploy/ %.0f ms, delete %.0f ms, upload %.0f ms, HTTP removal %.0f ms%n", r,
                    repeats, moved.get(r - 1), deleted.get(r - 1), uploaded.get(r - 1), removed.get(r - 1));
        }
        return List.of(
                new ServerBenchReport.Deploy("jar moved into `deploy/` → listed by `GET /api/components`", moved),
                new ServerBenchReport.Deploy("jar deleted from `deploy/` → no longer listed", deleted),
                new ServerBenchReport.Deploy("`POST /api/bundles` (upload) → listed", uploaded),
                new ServerBenchReport.Deploy("`DELETE /api/bundles/{bsn}` → no longer listed", removed));
    }

    private static void expect(ApiClient.Response r, String request, int... statuses) {
        for (int s : statuses) {
            if (r.status() == s) {
                return;
            }
        }
        throw new IllegalStateException(request + " answered " + r);
    }

    /** Polls the component list until a component of {@code bsn} is (or is no longer) listed; ms since {@code t0}. */
    private double awaitListed(String bsn, boolean present, long t0) throws Exception {
        while (true) {
            ApiClient.Response a = api.get("/api/components");
            long now = System.nanoTime();
            if (a.status() == 200 && listed(a.body(), bsn) == present) {
                return (now - t0) / 1e6;
            }
            if ((now - t0) / 1_000_000 > DEADLINE_MS) {
                throw new IllegalStateException("bundle " + bsn + " was " + (present ? "not listed" : "still listed")
                        + " by GET /api/components after " + DEADLINE_MS + " ms");
            }
            Thread.sleep(POLL_MS);
        }
    }

    /** Whether a component of the component list {@code components} comes from bundle {@code bsn}. */
    static boolean listed(JsonNode components, String bsn) {
        for (JsonNode c : components) {
            if (bsn.equals(c.path("bundle").path("symbolicName").asText())) {
                return true;
            }
        }
        return false;
    }

    /** Waits until the bundle itself is uninstalled (so the next install of the same version is not refused). */
    private void awaitBundleGone(String bsn) throws Exception {
        long t0 = System.nanoTime();
        while (true) {
            ApiClient.Response a = api.get("/api/bundles");
            boolean present = false;
            for (JsonNode b : a.body()) {
                present |= bsn.equals(b.path("symbolicName").asText());
            }
            if (a.status() == 200 && !present) {
                return;
            }
            if ((System.nanoTime() - t0) / 1_000_000 > DEADLINE_MS) {
                throw new IllegalStateException("bundle " + bsn + " still installed " + DEADLINE_MS + " ms after its removal");
            }
            Thread.sleep(POLL_MS);
        }
    }
}
