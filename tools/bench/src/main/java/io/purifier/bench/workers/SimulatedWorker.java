package io.purifier.bench.workers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One simulated worker: it takes its run's credential from the job's 0600 file (as a job script does), fetches the
 * ticket, and reports the run's steps over the worker protocol at the rates of a {@link WorkerProfile} for one step
 * duration per step, then finishes the run SUCCEEDED and ends its fake job. Every request's latency goes to
 * {@code latencies}; refusals and errors are counted. A worker still reporting at {@code deadline} (System.nanoTime;
 * the server fell behind) stops with an error.
 */
final class SimulatedWorker implements Runnable {

    private final URI server;
    private final long runId;
    private final Path credentialFile;
    private final FakeSlurmCommands slurm;
    private final WorkerProfile profile;
    private final HttpClient http;
    private final ObjectMapper json;
    private final Queue<Double> latencies;
    private final AtomicLong events;
    private final AtomicLong errors;
    private final long deadline;
    private String token;
    private long seq;

    SimulatedWorker(URI server, long runId, Path credentialFile, FakeSlurmCommands slurm, WorkerProfile profile,
                    HttpClient http, ObjectMapper json, Queue<Double> latencies, AtomicLong events, AtomicLong errors,
                    long deadline) {
        this.deadline = deadline;
        this.server = server;
        this.runId = runId;
        this.credentialFile = credentialFile;
        this.slurm = slurm;
        this.profile = profile;
        this.http = http;
        this.json = json;
        this.latencies = latencies;
        this.events = events;
        this.errors = errors;
    }

    @Override
    public void run() {
        try {
            long submitted = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (!Files.exists(credentialFile)) {
                if (System.nanoTime() > submitted) {
                    throw new IllegalStateException("run " + runId + " was not submitted as a job within 120 s");
                }
                Thread.sleep(100);
            }
            token = Files.readString(credentialFile).strip();
            Files.delete(credentialFile);
            JsonNode ticket = json.readTree(call("GET", "/ticket", null));
            int steps = ticket.path("steps").size();
            send(batch().add(event("runStarted").set("provenance", json.createObjectNode())));
            for (int step = 0; step < steps; step++) {
                runStep(step, steps);
            }
            call("POST", "/finish", "{\"status\":\"SUCCEEDED\"}");
            slurm.end(slurm.jobOf(runId));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            errors.incrementAndGet();
            System.err.println("simulated worker of run " + runId + ": " + e.getMessage());
        }
    }

    private void runStep(int step, int steps) throws Exception {
        ObjectNode started = event("stepStarted").put("step", step);
        started.putObject("params");
        send(batch().add(started));
        long begin = System.nanoTime();
        long stepNanos = profile.stepEvery().toNanos();
        long nextLog = begin;
        int n = 0;
        while (System.nanoTime() - begin < stepNanos) {
            Thread.sleep(profile.batchEvery().toMillis());
            double fraction = Math.min(1.0, (System.nanoTime() - begin) / (double) stepNanos);
            ArrayNode b = batch();
            b.add(event("stepProgress").put("step", step).put("progress", fraction).put("message", "batch " + (++n)));
            b.add(event("runProgress").put("step", step).put("progress", (step + fraction) / steps).put("message", "step " + (step + 1)));
            if (System.nanoTime() >= nextLog) {
                nextLog += profile.logEvery().toNanos();
                b.add(event("log").put("step", step).put("level", "INFO").put("message",
                        "epoch 1: batch " + n + ", loss " + String.format("%.4f", 2.3 / n)));
                b.add(event("curve").put("step", step).put("series", "loss").put("x", n).put("y", 2.3 / n));
            }
            send(b);
        }
        ObjectNode metrics = event("metrics").put("step", step).put("metric", "c-acc");
        ArrayNode values = metrics.putArray("values");
        for (String name : new String[]{"C-ACC", "ASR", "RA"}) {
            values.addObject().put("name", name).put("value", 0.5).put("direction", "HIGHER_IS_BETTER").put("unit", "");
        }
        send(batch().add(metrics).add(event("stepFinished").put("step", step).put("status", "SUCCEEDED")));
    }

    private ArrayNode batch() {
        return json.createArrayNode();
    }

    private ObjectNode event(String type) {
        return json.createObjectNode().put("type", type);
    }

    private void send(ArrayNode batch) throws Exception {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("still reporting at the simulation's deadline: the server fell behind");
        }
        ObjectNode body = json.createObjectNode().put("seq", seq++);
        body.set("events", batch);
        JsonNode answer = json.readTree(call("POST", "/events", json.writeValueAsString(body)));
        events.addAndGet(batch.size());
        if (answer.path("cancel").asBoolean()) {
            throw new IllegalStateException("the server cancelled run " + runId + ": " + answer.path("reason").asText());
        }
    }

    private String call(String method, String path, String body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(server.resolve("/api/worker/runs/" + runId + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token);
        r = body == null ? r.GET() : r.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        long t0 = System.nanoTime();
        HttpResponse<String> response = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
        latencies.add((System.nanoTime() - t0) / 1e6);
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }
}
