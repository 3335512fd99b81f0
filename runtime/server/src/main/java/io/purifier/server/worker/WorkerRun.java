package io.purifier.server.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.purifier.data.ConfiguredDataRoots;
import io.purifier.server.osgi.BundleIdentity;
import io.purifier.server.osgi.FelixCaches;
import io.purifier.server.osgi.FelixHost;
import io.purifier.server.osgi.PluginRegistry;
import io.purifier.server.pipeline.AttackCache;
import io.purifier.server.pipeline.ModelTrainer;
import io.purifier.server.pipeline.PipelineCodec;
import io.purifier.server.pipeline.ValidatedPipeline;
import io.purifier.server.run.PipelineRunner;
import io.purifier.server.run.RunEnvironment;
import io.purifier.server.run.RunJob;
import io.purifier.server.run.StoredModels;
import io.purifier.server.store.RunStatus;
import org.osgi.framework.BundleException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One worker executing one run: ticket → bundles checked and installed in its own Felix → pipeline resolved against
 * its own plugins → stored model downloaded and checked → the steps, reported over HTTP. Whatever goes wrong before
 * the steps start is reported as the run's failure, with the reason.
 */
final class WorkerRun {

    /** How long the worker keeps trying when the server cannot be reached. */
    static final Duration RETRY_FOR = Duration.ofMinutes(5);
    /** How long the worker waits for the plugins of its bundles to register. */
    static final Duration PLUGINS_WAIT = Duration.ofSeconds(30);

    /** The ticket's training-checkpoint interval ({@code trainingCheckpointSeconds}), or null when checkpoints are off. */
    static Duration checkpointInterval(JsonNode ticket) {
        JsonNode seconds = ticket.path("trainingCheckpointSeconds");
        return seconds.isIntegralNumber() && seconds.asLong() >= 0 ? Duration.ofSeconds(seconds.asLong()) : null;
    }

    private final WorkerOptions options;
    private final Path home;
    private final String token;
    private final ModelTrainer trainer;
    private final String version;
    private final ObjectMapper json;
    private final PrintStream out;

    WorkerRun(WorkerOptions options, Path home, String token, ModelTrainer trainer, String version, ObjectMapper json, PrintStream out) {
        this.options = options;
        this.home = home;
        this.token = token;
        this.trainer = trainer;
        this.version = version;
        this.json = json;
        this.out = out;
    }

    /** Executes the run; returns the worker's exit code (0 when its outcome was reported). */
    int execute() throws IOException, InterruptedException {
        WorkerClient client = new WorkerClient(options.server(), options.runId(), token, RETRY_FOR, json);
        JsonNode ticket = client.getJson("ticket");
        out.println("purifier worker: run " + options.runId() + " (" + ticket.path("pipeline").path("name").asText() + ") of "
                + options.server() + ", working in " + options.workDir());
        HttpRecorder recorder = new HttpRecorder(client, json, Duration.ofSeconds(ticket.path("heartbeatSeconds").asInt(5))).start();
        AtomicReference<String> earlyCancel = new AtomicReference<>();
        recorder.onCancel(earlyCancel::set);
        FelixHost felix = null;
        PluginRegistry registry = null;
        try {
            List<Path> jars = new WorkerBundles(home.resolve("bundles"), options.workDir().resolve("bundles"), client)
                    .prepare(ticket.path("bundles"));
            felix = FelixHost.start(jars, options.workDir().resolve("deploy"),
                    FelixCaches.forThisProcess(options.workDir().resolve("felix-cache")), 60_000, Map.of());
            registry = new PluginRegistry(felix.context());
            ValidatedPipeline pipeline = decodeWhenReady(ticket.path("pipeline"), registry);
            RunEnvironment env = new RunEnvironment(registry, trainer, new AttackCache(Path.of(ticket.path("cacheDir").asText()), json),
                    storedModel(ticket.path("model"), client), new ConfiguredDataRoots(roots(ticket.path("dataRoots"))),
                    options.workDir().resolve("runs"), json, version, checkpointInterval(ticket));
            RunJob job = new RunJob(options.runId(), pipeline, ticket.path("user").asText());
            recorder.onCancel(job::cancel);
            if (earlyCancel.get() != null) {
                job.cancel(earlyCancel.get());
            }
            RunStatus outcome = new PipelineRunner(env).run(job, recorder);
            out.println("purifier worker: run " + options.runId() + " " + outcome.name().toLowerCase());
        } catch (WorkerBundles.Mismatch | PreparationFailure e) {
            refuse(recorder, e.getMessage());
        } catch (BundleException e) {
            refuse(recorder, "a bundle of the server did not start in this worker: " + e.getMessage());
        } catch (WorkerClient.Refused e) {
            refuse(recorder, "the server refused a file this run needs: " + e.getMessage());
        } catch (RuntimeException | Error e) {
            e.printStackTrace(out);
            refuse(recorder, "the worker could not prepare the run: " + e);
        } finally {
            if (registry != null) {
                registry.close();
            }
            if (felix != null) {
                felix.close();
            }
        }
        if (recorder.failure() != null) {
            out.println("purifier worker: " + recorder.failure());
            return 3;
        }
        return 0;
    }

    /** Reports that the run cannot execute here, and why. */
    private void refuse(HttpRecorder recorder, String message) {
        out.println("purifier worker: " + message);
        recorder.log(null, "ERROR", message);
        recorder.runFinished(RunStatus.FAILED, message);
    }

    /** The pipeline, once every plugin it names is registered (bundles start their components asynchronously). */
    private ValidatedPipeline decodeWhenReady(JsonNode node, PluginRegistry registry) throws InterruptedException, PreparationFailure {
        PipelineCodec codec = new PipelineCodec(json);
        long deadline = System.nanoTime() + PLUGINS_WAIT.toNanos();
        while (true) {
            try {
                return codec.decode(node, registry, trainer);
            } catch (PipelineCodec.MissingPlugin e) {
                if (System.nanoTime() > deadline) {
                    throw new PreparationFailure(e.getMessage() + " (waited " + PLUGINS_WAIT.toSeconds() + " s for it to register)");
                }
                Thread.sleep(100);
            } catch (IllegalStateException e) {
                throw new PreparationFailure(e.getMessage());
            }
        }
    }

    /** The stored model of the ticket, downloaded and checked, or no stored models when the pipeline trains one. */
    private StoredModels storedModel(JsonNode model, WorkerClient client) throws IOException, InterruptedException, PreparationFailure {
        if (model == null || model.isNull() || model.isMissingNode()) {
            return id -> Optional.empty();
        }
        String id = model.path("id").asText();
        String fileName = Path.of(model.path("fileName").asText("model")).getFileName().toString();
        Path file = options.workDir().resolve("model").resolve(fileName);
        client.download("model", file);
        String sha = BundleIdentity.sha256(file);
        if (!sha.equals(model.path("sha256").asText())) {
            throw new PreparationFailure("stored model " + id + " arrived damaged: sha256 " + sha + " instead of "
                    + model.path("sha256").asText());
        }
        StoredModels.StoredModelFile stored = new StoredModels.StoredModelFile(id, model.path("formatId").asText(),
                model.path("params"), sha, file);
        return wanted -> wanted.equals(id) ? Optional.of(stored) : Optional.empty();
    }

    private static List<Path> roots(JsonNode roots) {
        List<Path> out = new ArrayList<>();
        roots.forEach(r -> out.add(Path.of(r.asText())));
        return out.stream().filter(Files::isDirectory).toList();
    }

    /** The run cannot be prepared in this worker. */
    static final class PreparationFailure extends Exception {
        private static final long serialVersionUID = 1L;

        PreparationFailure(String message) {
            super(message);
        }
    }
}
