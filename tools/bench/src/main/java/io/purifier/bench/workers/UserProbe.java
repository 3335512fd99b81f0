package io.purifier.bench.workers;

import io.purifier.client.ApiClient;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A user of the web UI during the simulation: five times a second, alternately the run list
 * ({@code GET /api/runs?limit=50}) and one run's detail ({@code GET /api/runs/{id}}, round robin), each timed.
 */
final class UserProbe implements Runnable {

    private final ApiClient api;
    private final List<Long> runs;
    private final Queue<Double> latencies;
    private final AtomicLong errors;
    private volatile boolean stop;

    UserProbe(ApiClient api, List<Long> runs, Queue<Double> latencies, AtomicLong errors) {
        this.api = api;
        this.runs = List.copyOf(runs);
        this.latencies = latencies;
        this.errors = errors;
    }

    @Override
    public void run() {
        for (int i = 0; !stop; i++) {
            String path = i % 2 == 0 ? "/api/runs?limit=50" : "/api/runs/" + runs.get((i / 2) % runs.size());
            try {
                long t0 = System.nanoTime();
                ApiClient.Response r = api.get(path);
                latencies.add((System.nanoTime() - t0) / 1e6);
                if (r.status() != 200) {
                    errors.incrementAndGet();
                    System.err.println("GET " + path + " answered " + r.status());
                }
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                errors.incrementAndGet();
                System.err.println("GET " + path + ": " + e.getMessage());
            }
        }
    }

    /** Stops after the current request. */
    void stop() {
        stop = true;
    }
}
