package io.purifier.server.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.purifier.api.Plugin;
import io.purifier.api.PluginKind;
import io.purifier.api.data.DataRoots;
import io.purifier.api.param.ResolvedParams;
import io.purifier.api.run.ReportingProbe;
import io.purifier.server.osgi.BundleIdentity;
import io.purifier.server.osgi.PluginLookup;
import io.purifier.server.osgi.PluginRegistry;
import io.purifier.server.store.StepStatus;

import java.nio.file.Path;
import java.util.Map;

/**
 * Runs one step of a run: looks its plugin up (fresh, per step), reports its start with parameters and bundle, runs
 * its body under {@link StepExecutor} with the step time limit, reports its artifacts and its outcome, and adds it
 * to the provenance record.
 */
final class StepRunner {

    /**
     * A step body's value plus facts for the step summary.
     *
     * @param value   what the step produced (data, model)
     * @param summary facts for the step's summary
     * @param <T>     the value's type
     */
    record Output<T>(T value, Map<String, Object> summary) {
    }

    /** The body of a step, run on the step thread with the plugin found for it (null for steps without one). */
    @FunctionalInterface
    interface Body<P, T> {
        Output<T> run(P plugin, StepContext ctx) throws Exception;
    }

    /**
     * What a step runs.
     *
     * @param kind       the step kind ({@code StepPlans.DATASET}, ...), part of its artifact directory's name
     * @param pluginKind the kind of its plugin, or null when it has none (training a zoo model)
     * @param id         the plugin or architecture id
     * @param type       the plugin interface, or null
     * @param params     the resolved parameters
     * @param probe      the reporting probe offered to the plugin, or null
     * @param <P>        the plugin interface
     */
    record Step<P extends Plugin>(String kind, PluginKind pluginKind, String id, Class<P> type, ResolvedParams params,
                                  ReportingProbe probe) {
    }

    private final PluginLookup plugins;
    private final RunRecorder recorder;
    private final RunJob job;
    private final Provenance provenance;
    private final RunProgress progress;
    private final StepArtifacts artifacts;
    private final Path runDir;
    private final DataRoots dataRoots;
    private final ObjectMapper json;

    StepRunner(PluginLookup plugins, RunRecorder recorder, RunJob job, Provenance provenance, RunProgress progress,
               Path runDir, DataRoots dataRoots, ObjectMapper json) {
        this.plugins = plugins;
        this.recorder = recorder;
        this.job = job;
        this.provenance = provenance;
        this.progress = progress;
        this.artifacts = new StepArtifacts(recorder);
        this.runDir = runDir;
        this.dataRoots = dataRoots;
        this.json = json;
    }

    /**
     * Runs {@code step} as step {@code index} and returns its value.
     *
     * @throws StepFailure when the plugin is gone, or the body fails, is cancelled or exceeds the time limit
     */
    <P extends Plugin, T> T run(int index, Step<P> step, Body<P, T> body) throws StepFailure {
        P plugin = null;
        BundleIdentity bundle = null;
        if (step.pluginKind() != null) {
            PluginRegistry.Found<P> found = plugins.find(step.pluginKind(), step.id(), step.type()).orElse(null);
            if (found == null) {
                StepFailure f = new StepFailure(StepStatus.FAILED, step.pluginKind().jsonName() + " '" + step.id()
                        + "' is no longer installed (its bundle was removed after the run was queued)", null);
                recorder.stepFinished(index, StepStatus.FAILED, f.getMessage(), null);
                throw f;
            }
            plugin = found.plugin();
            bundle = found.bundle();
        }
        Path artifactDir = runDir.resolve("step-" + index + "-" + step.kind());
        StepContext ctx = new StepContext(index, job.pipeline().seed(), artifactDir, recorder, dataRoots, step.probe(),
                f -> progress.report(index, f));
        JsonNode params = json.valueToTree(step.params().asMap());
        ObjectNode prov = provenance.step(index, step.kind(), step.id(), ctx.seed(), bundle);
        prov.set("params", params);
        recorder.stepStarted(index, params, bundle);
        job.enter(ctx);
        P target = plugin;
        try {
            Output<T> out = StepExecutor.run(() -> body.run(target, ctx), ctx, job.pipeline().stepTimeout());
            artifacts.report(index, artifactDir);
            JsonNode summary = json.valueToTree(out.summary());
            prov.set("summary", summary);
            recorder.stepFinished(index, StepStatus.SUCCEEDED, null, summary);
            progress.stepDone(index);
            return out.value();
        } catch (StepFailure f) {
            artifacts.report(index, artifactDir);
            if (f.getCause() != null && f.status() == StepStatus.FAILED) {
                recorder.log(index, "ERROR", StepExecutor.stackTrace(f.getCause()));
            }
            recorder.log(index, f.status() == StepStatus.CANCELLED ? "WARN" : "ERROR",
                    "step " + f.status().name().toLowerCase() + ": " + f.getMessage());
            recorder.stepFinished(index, f.status(), f.getMessage(), null);
            throw f;
        } finally {
            job.leave();
        }
    }
}
