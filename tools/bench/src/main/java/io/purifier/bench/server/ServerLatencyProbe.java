package io.purifier.bench.server;

import io.purifier.client.ApiClient;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Issues {@code requests} GET requests round-robin over a list of endpoints from {@code clients} concurrent
 * clients (each with its own connection) and times each one. Every client first sends one uncounted request per
 * endpoint (connection set-up, first-call costs), then all start together.
 */
final class ServerLatencyProbe {

    private record Sample(int endpoint, double millis, boolean ok) {
    }

    private ServerLatencyProbe() {
    }

    /**
     * Measures.
     *
     * @param api       a client of the server (each measuring client gets its own connection pool from it)
     * @param endpoints label (path template) → concrete path, in round-robin order
     * @param requests  counted requests in total
     * @param clients   concurrent clients
     */
    static ServerBenchReport.Latency measure(ApiClient api, Map<String, String> endpoints, int requests,
                                             int clients) throws InterruptedException, IOException {
        List<String> labels = List.copyOf(endpoints.keySet());
        List<String> paths = List.copyOf(endpoints.values());
        AtomicInteger next = new AtomicInteger();
        CountDownLatch ready = new CountDownLatch(clients);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(clients, r -> {
            Thread t = new Thread(r, "purifier-bench-client");
            t.setDaemon(true);
            return t;
        });
        List<Future<List<Sample>>> futures = new ArrayList<>();
        long start;
        long end;
        try {
            for (int c = 0; c < clients; c++) {
                futures.add(pool.submit(() -> {
                    ApiClient client = api.copy();
                    try {
                        for (String path : paths) {
                            client.get(path);
                        }
                    } finally {
                        ready.countDown();
                    }
                    go.await();
                    List<Sample> samples = new ArrayList<>();
                    for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                        int e = i % paths.size();
                        try {
                            ApiClient.Response a = client.get(paths.get(e));
                            samples.add(new Sample(e, a.millis(), a.status() == 200));
                        } catch (IOException failed) {
                            samples.add(new Sample(e, Double.NaN, false));
                        }
                    }
                    return samples;
                }));
            }
            ready.await();
            start = System.nanoTime();
            go.countDown();
            List<Sample> all = new ArrayList<>();
            for (Future<List<Sample>> f : futures) {
                all.addAll(f.get());
            }
            end = System.nanoTime();
            return summarize(labels, all, requests, clients, (end - start) / 1e6);
        } catch (ExecutionException e) {
            throw new IOException("a bench client failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static ServerBenchReport.Latency summarize(List<String> labels, List<Sample> samples, int requests,
                                                       int clients, double wallMs) {
        Map<String, ServerLatencyStats> perEndpoint = new LinkedHashMap<>();
        List<Double> overall = new ArrayList<>();
        for (int e = 0; e < labels.size(); e++) {
            List<Double> times = new ArrayList<>();
            for (Sample s : samples) {
                if (s.endpoint() == e && !Double.isNaN(s.millis())) {
                    times.add(s.millis());
                }
            }
            if (!times.isEmpty()) {
                perEndpoint.put(labels.get(e), ServerLatencyStats.of(times));
                overall.addAll(times);
            }
        }
        if (overall.isEmpty()) {
            throw new IllegalStateException("no request to the server was answered");
        }
        int errors = (int) samples.stream().filter(s -> !s.ok()).count();
        return new ServerBenchReport.Latency(requests, clients, perEndpoint, ServerLatencyStats.of(overall), errors, wallMs);
    }
}
