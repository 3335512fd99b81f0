package io.purifier.bench.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.purifier.bench.RunDetails;
import io.purifier.client.ApiClient;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * The run that trains while the API latency is measured: a small CNN on Fashion-MNIST for one epoch, submitted
 * over HTTP, awaited until its model step runs, and awaited again until it ends (cancelled after an hour).
 */
final class TrainingRunProbe {

    private static final int TEST_SIZE = 1000;
    private static final long POLL_MS = 10;
    private static final Duration TRAINING_START_LIMIT = Duration.ofMinutes(10);
    private static final Duration RUN_LIMIT = Duration.ofMinutes(60);

    private final ApiClient api;
    private final PrintStream out;

    TrainingRunProbe(ApiClient api, PrintStream out) {
        this.api = api;
        this.out = out;
    }

    /** The pipeline that trains while the API is measured: small CNN, Fashion-MNIST, one epoch, no attack. */
    static ObjectNode pipeline(ObjectMapper json, int trainSize) {
        ObjectNode p = json.createObjectNode();
        p.put("name", "bench server: small-cnn on " + trainSize + " Fashion-MNIST images under API load");
        p.put("seed", 1);
        p.putObject("dataset").put("id", "fashion-mnist").putObject("params").put("trainSize", trainSize).put("testSize", TEST_SIZE);
        ObjectNode model = p.putObject("model").put("source", "train");
        model.putObject("architecture").put("id", "small-cnn");
        model.putObject("training").put("epochs", 1);
        p.putArray("metrics").addObject().put("id", "c-acc");
        return p;
    }

    /** Submits the pipeline and returns once its model step runs; returns the run id. */
    long startTraining(ObjectMapper json, int trainSize) throws Exception {
        long runId = api.submitRun(pipeline(json, trainSize));
        long t0 = System.nanoTime();
        while (true) {
            JsonNode d = detail(runId);
            if (modelStepRunning(d)) {
                return runId;
            }
            String status = d.path("run").path("status").asText();
            if (!status.equals("QUEUED") && !status.equals("RUNNING")) {
                throw new IllegalStateException("run " + runId + " ended " + status + " before its model step was seen running"
                        + (status.equals("SUCCEEDED") ? " (use a larger --train-size)" : ": " + d.path("run").path("error").asText()));
            }
            if (System.nanoTime() - t0 > TRAINING_START_LIMIT.toNanos()) {
                throw new IllegalStateException("run " + runId + " did not start training within " + TRAINING_START_LIMIT.toSeconds() + " s");
            }
            Thread.sleep(POLL_MS);
        }
    }

    /** Whether the run's model step is running now. */
    boolean stillTraining(long runId) throws Exception {
        return modelStepRunning(detail(runId));
    }

    /** Waits for the run to end (cancelling it after an hour) and describes it. */
    ServerBenchReport.TrainingRun finish(long runId, boolean trainingThroughout) throws Exception {
        JsonNode d;
        try {
            d = api.awaitRun(runId, RUN_LIMIT, Duration.ofMillis(250));
        } catch (TimeoutException e) {
            out.println("run " + runId + " still running after " + RUN_LIMIT.toMinutes() + " min: cancelling it");
            api.postJson("/api/runs/" + runId + "/cancel", "{}");
            d = api.awaitRun(runId, Duration.ofMinutes(5), Duration.ofMillis(250));
        }
        JsonNode run = d.path("run");
        JsonNode dataset = d.path("spec").path("dataset").path("params");
        String description = String.format(Locale.ROOT, "fashion-mnist %d training / %d test images, small-cnn, 1 epoch, no attack",
                dataset.path("trainSize").asInt(), dataset.path("testSize").asInt());
        return new ServerBenchReport.TrainingRun(runId, description, run.path("status").asText(), trainingThroughout,
                RunDetails.wallSeconds(run), run.hasNonNull("error") ? run.get("error").asText() : null);
    }

    /** Whether the run's model step (training, then evaluation) is running. */
    static boolean modelStepRunning(JsonNode detail) {
        for (JsonNode step : detail.path("steps")) {
            if ("model".equals(step.path("kind").asText()) && "RUNNING".equals(step.path("status").asText())) {
                return true;
            }
        }
        return false;
    }

    private JsonNode detail(long runId) throws Exception {
        ApiClient.Response a = api.get("/api/runs/" + runId);
        if (a.status() != 200) {
            throw new IllegalStateException("GET /api/runs/" + runId + " answered " + a);
        }
        return a.body();
    }
}
