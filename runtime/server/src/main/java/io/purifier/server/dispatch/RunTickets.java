package io.purifier.server.dispatch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.purifier.server.osgi.BundleInfo;
import io.purifier.server.pipeline.PipelineCodec;
import io.purifier.server.pipeline.StepPlans;
import io.purifier.server.store.ModelStore;
import io.purifier.server.store.RunRecords.StepPlan;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The ticket of a run: everything a worker needs to execute it and to check that it runs the same code as the
 * server. It lists the validated pipeline, its steps, every bundle installed in the server (symbolic name, version,
 * SHA-256, built-in or deployed), the stored model the pipeline starts from, and where the attack-once cache and the
 * dataset roots are.
 */
public final class RunTickets {

    /** How often a worker reports at least (an empty batch when it has nothing else to say). */
    public static final int HEARTBEAT_SECONDS = 5;

    private static final Set<String> USABLE_STATES = Set.of("ACTIVE", "RESOLVED", "STARTING");

    private final PipelineCodec codec;
    private final Supplier<List<BundleInfo>> bundles;
    private final ModelStore models;
    private final Path cacheDir;
    private final List<Path> dataRoots;
    private final String serverVersion;
    private final ObjectMapper json;
    private final Duration trainingCheckpoints;

    /**
     * @param codec         encodes validated pipelines
     * @param bundles       the bundles installed in the server now
     * @param models        the uploaded models
     * @param cacheDir      the attack-once cache directory
     * @param dataRoots     the dataset roots
     * @param serverVersion the server's version
     * @param json          the JSON mapper
     * @param trainingCheckpoints least time between two checkpoints of a zoo training, or null to keep none
     */
    public RunTickets(PipelineCodec codec, Supplier<List<BundleInfo>> bundles, ModelStore models, Path cacheDir,
                      List<Path> dataRoots, String serverVersion, ObjectMapper json, Duration trainingCheckpoints) {
        this.codec = codec;
        this.bundles = bundles;
        this.models = models;
        this.cacheDir = cacheDir;
        this.dataRoots = List.copyOf(dataRoots);
        this.serverVersion = serverVersion;
        this.json = json;
        this.trainingCheckpoints = trainingCheckpoints;
    }

    /** The ticket of {@code run}, as of now. */
    public ObjectNode ticket(ActiveRun run) {
        ObjectNode t = json.createObjectNode();
        t.put("runId", run.runId());
        t.put("user", run.user());
        t.put("serverVersion", serverVersion);
        t.set("pipeline", codec.encode(run.pipeline()));
        ArrayNode steps = t.putArray("steps");
        for (StepPlan step : StepPlans.of(run.pipeline())) {
            steps.addObject().put("kind", step.kind()).put("componentId", step.componentId()).put("title", step.title());
        }
        ArrayNode list = t.putArray("bundles");
        for (BundleInfo b : bundles.get()) {
            if (b.id() != 0 && USABLE_STATES.contains(b.state())) {
                list.addObject().put("symbolicName", b.symbolicName()).put("version", b.version()).put("sha256", b.sha256())
                        .put("builtIn", b.builtIn());
            }
        }
        storedModel(run).ifPresentOrElse(m -> t.putObject("model").put("id", m.id()).put("formatId", m.formatId())
                        .put("fileName", m.fileName()).put("sha256", m.sha256()).put("size", m.size()).set("params", m.params()),
                () -> t.putNull("model"));
        t.put("cacheDir", cacheDir.toAbsolutePath().toString());
        ArrayNode roots = t.putArray("dataRoots");
        dataRoots.forEach(r -> roots.add(r.toAbsolutePath().toString()));
        t.put("heartbeatSeconds", HEARTBEAT_SECONDS);
        if (trainingCheckpoints == null) {
            t.putNull("trainingCheckpointSeconds");
        } else {
            t.put("trainingCheckpointSeconds", trainingCheckpoints.toSeconds());
        }
        return t;
    }

    /** The stored model the pipeline of {@code run} starts from, if it has one and it still exists. */
    public Optional<ModelStore.StoredModel> storedModel(ActiveRun run) {
        String id = run.pipeline().model() == null || run.pipeline().model().trains() ? null : run.pipeline().model().modelId();
        return id == null ? Optional.empty() : models.find(id);
    }

    /** The jar of a deployed (not built-in) bundle in the server, if it is one of the ticket's bundles. */
    public Optional<Path> deployedJar(String symbolicName, Path deployDir) {
        return bundles.get().stream()
                .filter(b -> b.id() != 0 && !b.builtIn() && b.symbolicName().equals(symbolicName) && b.fileName() != null)
                .map(b -> deployDir.resolve(b.fileName()))
                .findFirst();
    }
}
