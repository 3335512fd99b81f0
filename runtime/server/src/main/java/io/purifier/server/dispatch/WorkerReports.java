package io.purifier.server.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.purifier.api.InvalidInputException;
import io.purifier.server.pipeline.StepPlans;
import io.purifier.server.store.SpooledFile;
import io.purifier.server.store.ModelStore;
import io.purifier.server.store.RunStatus;
import io.purifier.server.worker.WorkerEvents;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The server's side of the worker protocol for runs that execute: hands out tickets, bundle jars and the stored
 * model, applies event batches (each at most once) to the run's history, stores uploaded artifacts under the data
 * directory, and records the final status. Every call counts as a sign of life of the worker.
 */
public final class WorkerReports {

    private static final Pattern NAME_SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    /** What the run service offers the worker protocol. */
    public interface Runs {
        /** The queued or executing run {@code runId}, if any. */
        Optional<ActiveRun> active(long runId);

        /** Records that {@code run} reported its final status. */
        void finished(ActiveRun run, RunStatus status);
    }

    private final Runs runs;
    private final RunTickets tickets;
    private final ModelStore models;
    private final WorkerEvents events;
    private final Path dataDir;
    private final Path deployDir;
    private final long maxUploadBytes;
    private final ObjectMapper json;

    /**
     * @param runs           the run service
     * @param tickets        builds tickets
     * @param models         the uploaded models
     * @param dataDir        the data directory (artifacts go to {@code runs/<id>/step-<n>-<kind>/})
     * @param deployDir      where deployed bundles are
     * @param maxUploadBytes the largest artifact accepted
     * @param json           the JSON mapper
     */
    public WorkerReports(Runs runs, RunTickets tickets, ModelStore models, Path dataDir, Path deployDir, long maxUploadBytes,
                         ObjectMapper json) {
        this.runs = runs;
        this.tickets = tickets;
        this.models = models;
        this.events = new WorkerEvents(json);
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.deployDir = deployDir;
        this.maxUploadBytes = maxUploadBytes;
        this.json = json;
    }

    /** The ticket of run {@code runId}. */
    public ObjectNode ticket(long runId) {
        ActiveRun run = executing(runId);
        run.contact();
        return tickets.ticket(run);
    }

    /** The jar of deployed bundle {@code symbolicName}, for the worker of {@code runId}. */
    public Optional<Path> bundleJar(long runId, String symbolicName) {
        executing(runId).contact();
        return tickets.deployedJar(symbolicName, deployDir).filter(Files::isRegularFile);
    }

    /** The file of the stored model run {@code runId} starts from. */
    public Optional<Path> modelFile(long runId) {
        ActiveRun run = executing(runId);
        run.contact();
        return tickets.storedModel(run).map(models::file).filter(Files::isRegularFile);
    }

    /**
     * Applies a batch {@code {"seq": N, "events": [...]}} unless batch N was applied already, and answers whether the
     * run is to be cancelled: {@code {"cancel": true|false, "reason": ...}}.
     *
     * @throws InvalidInputException naming what is wrong with the batch (nothing of it is applied)
     */
    public ObjectNode events(long runId, JsonNode batch) {
        ActiveRun run = executing(runId);
        JsonNode seqNode = batch == null ? null : batch.get("seq");
        if (seqNode == null || !seqNode.isIntegralNumber() || seqNode.asLong() < 0) {
            throw new InvalidInputException("seq: required number of the batch (0, 1, 2, ...)");
        }
        long seq = seqNode.asLong();
        synchronized (run) {
            run.contact();
            if (run.isNewBatch(seq)) {
                JsonNode list = batch.get("events");
                events.apply(list, run.steps(), run.recorder());
                track(run, list);
                run.batchApplied(seq);
            }
        }
        String reason = run.cancelReason();
        ObjectNode answer = json.createObjectNode().put("cancel", reason != null);
        return reason == null ? answer.putNull("reason") : answer.put("reason", reason);
    }

    /** Follows which step runs, for the step time-limit rule. */
    private static void track(ActiveRun run, JsonNode list) {
        for (JsonNode e : list) {
            switch (e.path("type").asText()) {
                case "stepStarted" -> run.stepStarted(e.path("step").asInt());
                case "stepFinished" -> run.stepEnded();
                default -> {
                }
            }
        }
    }

    /**
     * Stores an artifact file of step {@code step} named {@code name} ({@code /}-separated, plain segments) and records
     * it. An artifact sent again replaces the first one.
     */
    public void artifact(long runId, int step, String name, InputStream body) throws IOException {
        ActiveRun run = executing(runId);
        run.contact();
        if (step < 0 || step >= run.steps()) {
            throw new InvalidInputException("step " + step + " is not a step of run " + runId + " (it has " + run.steps() + ")");
        }
        checkName(name);
        String kind = StepPlans.of(run.pipeline()).get(step).kind();
        Path target = dataDir.resolve("runs").resolve(Long.toString(runId)).resolve("step-" + step + "-" + kind).resolve(name).normalize();
        Files.createDirectories(target.getParent());
        Path spooled = SpooledFile.spool(body, Files.createDirectories(dataDir.resolve("tmp")), maxUploadBytes);
        try {
            Files.move(spooled, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(spooled);
        }
        synchronized (run) {
            run.recorder().artifact(step, name, target);
        }
    }

    /**
     * Records the final status {@code {"status": "SUCCEEDED|FAILED|CANCELLED|INTERRUPTED", "error": text|null}}. The
     * same status sent again is accepted; nothing is reported after it.
     */
    public void finish(long runId, JsonNode body) {
        ActiveRun run = runs.active(runId).orElseThrow(() -> notActive(runId));
        RunStatus status = finalStatus(body);
        JsonNode errorNode = body.get("error");
        if (errorNode != null && !errorNode.isNull() && !errorNode.isTextual()) {
            throw new InvalidInputException("error: must be text or null");
        }
        String error = errorNode == null || errorNode.isNull() ? null : errorNode.asText();
        synchronized (run) {
            run.contact();
            if (run.state() == ActiveRun.State.FINISHED) {
                if (run.outcome() == status) {
                    return;
                }
                throw new RunNotActiveException("run " + runId + " already ended " + run.outcome());
            }
            if (run.state() != ActiveRun.State.LAUNCHED) {
                throw notActive(runId);
            }
            run.recorder().runFinished(status, error);
            runs.finished(run, status);
        }
    }

    private static RunStatus finalStatus(JsonNode body) {
        String status = body == null ? null : body.path("status").asText(null);
        if (status == null) {
            throw new InvalidInputException("status: required (SUCCEEDED, FAILED, CANCELLED or INTERRUPTED)");
        }
        try {
            RunStatus s = RunStatus.valueOf(status);
            if (s.isFinal()) {
                return s;
            }
        } catch (IllegalArgumentException e) {
            // named below
        }
        throw new InvalidInputException("status: '" + status + "' is not a final run status (SUCCEEDED, FAILED, CANCELLED or INTERRUPTED)");
    }

    private static void checkName(String name) {
        if (name == null || name.length() > 200) {
            throw new InvalidInputException("artifact name must have 1 to 200 characters");
        }
        for (String segment : name.split("/", -1)) {
            if (!NAME_SEGMENT.matcher(segment).matches()) {
                throw new InvalidInputException("artifact name '" + name + "' must be plain names (letters, digits, '.', '_', '-') "
                        + "separated by '/'");
            }
        }
    }

    /** The run, which must have been handed to a worker and not have ended. */
    private ActiveRun executing(long runId) {
        ActiveRun run = runs.active(runId).orElseThrow(() -> notActive(runId));
        if (run.state() != ActiveRun.State.LAUNCHED) {
            throw new RunNotActiveException("run " + runId + " is " + (run.state() == ActiveRun.State.QUEUED
                    ? "still queued" : "finished (" + run.outcome() + ")") + " and takes no worker reports");
        }
        return run;
    }

    private static RunNotActiveException notActive(long runId) {
        return new RunNotActiveException("run " + runId + " is not executing in this server");
    }
}
