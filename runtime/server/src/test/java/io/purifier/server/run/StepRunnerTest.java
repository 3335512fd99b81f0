package io.purifier.server.run;

import io.purifier.api.PluginKind;
import io.purifier.api.data.DatasetProvider;
import io.purifier.api.param.ParamDescriptor;
import io.purifier.server.PurifierServer;
import io.purifier.server.pipeline.StepPlans;
import io.purifier.server.pipeline.ValidatedPipeline;
import io.purifier.server.store.StepStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;

class StepRunnerTest {

    @TempDir
    Path dir;
    final RunFixtures.RecordingRecorder recorder = new RunFixtures.RecordingRecorder();
    final ValidatedPipeline pipeline = RunFixtures.pipeline(RunFixtures.resolved("tiny"), null, null, List.of(), List.of());
    final RunJob job = new RunJob(5, pipeline, "alice");
    final Provenance provenance = new Provenance(PurifierServer.objectMapper(), 42, "alice", "test", null);

    private StepRunner runner(RunFixtures.FakePlugins plugins) {
        return new StepRunner(plugins, recorder, job, provenance, new RunProgress(new double[]{1, 1}, recorder), dir, null,
                PurifierServer.objectMapper());
    }

    private static StepRunner.Step<DatasetProvider> datasetStep() {
        return new StepRunner.Step<>(StepPlans.DATASET, PluginKind.DATASET, "tiny", DatasetProvider.class,
                ParamDescriptor.none().defaults(), null);
    }

    @Test
    void a_step_reports_start_artifacts_and_success_and_enters_the_provenance() throws Exception {
        RunFixtures.FakePlugins plugins = new RunFixtures.FakePlugins().add(PluginKind.DATASET, "tiny", mock(DatasetProvider.class));
        String value = runner(plugins).run(0, datasetStep(), (plugin, ctx) -> {
            Files.writeString(ctx.artifactDir().resolve("note.txt"), "hello");
            ctx.curve("loss/L1", 1, 0.5);
            return new StepRunner.Output<>("loaded", Map.of("trainSize", 6));
        });
        assertEquals("loaded", value);
        assertEquals(List.of("stepStarted 0 io.test.tiny", "curve 0 loss/L1", "stepFinished 0 SUCCEEDED"), recorder.calls);
        assertEquals(dir.resolve("step-0-dataset/note.txt"), recorder.artifacts.get("0:note.txt"));
        String step = provenance.root().get("steps").get(0).toString();
        assertTrue(step.contains("\"kind\":\"dataset\"") && step.contains("\"bundle\":\"io.test.tiny\"")
                && step.contains("\"summary\":{\"trainSize\":6}"), step);
    }

    @Test
    void a_plugin_removed_after_validation_fails_the_step_with_a_plain_message() {
        StepFailure f = assertThrows(StepFailure.class, () -> runner(new RunFixtures.FakePlugins())
                .run(0, datasetStep(), (plugin, ctx) -> new StepRunner.Output<>("never", Map.of())));
        assertEquals("dataset 'tiny' is no longer installed (its bundle was removed after the run was queued)", f.getMessage());
        assertEquals(List.of("stepFinished 0 FAILED " + f.getMessage()), recorder.calls);
    }

    @Test
    void a_throwing_body_fails_the_step_and_logs_its_stack_trace() {
        RunFixtures.FakePlugins plugins = new RunFixtures.FakePlugins().add(PluginKind.DATASET, "tiny", mock(DatasetProvider.class));
        StepFailure f = assertThrows(StepFailure.class, () -> runner(plugins).run(0, datasetStep(), (plugin, ctx) -> {
            throw new IllegalStateException("corrupt file");
        }));
        assertEquals(StepStatus.FAILED, f.status());
        assertTrue(recorder.calls.get(1).startsWith("stepFinished 0 FAILED IllegalStateException: corrupt file"), recorder.calls.toString());
        assertTrue(recorder.logs.get(0).startsWith("ERROR java.lang.IllegalStateException: corrupt file"), recorder.logs.toString());
        assertTrue(recorder.logs.get(1).startsWith("ERROR step failed: IllegalStateException: corrupt file"), recorder.logs.toString());
    }

    @Test
    void a_cancelled_run_cancels_the_step_as_it_starts() {
        RunFixtures.FakePlugins plugins = new RunFixtures.FakePlugins().add(PluginKind.DATASET, "tiny", mock(DatasetProvider.class));
        job.cancel("cancelled by bob");
        StepFailure f = assertThrows(StepFailure.class, () -> runner(plugins).run(0, datasetStep(), (plugin, ctx) -> {
            ctx.checkCancelled();
            return new StepRunner.Output<>("never", Map.of());
        }));
        assertEquals(StepStatus.CANCELLED, f.status());
        assertEquals("stepFinished 0 CANCELLED cancelled by bob", recorder.calls.get(1));
        assertEquals(List.of("WARN step cancelled: cancelled by bob"), recorder.logs);
    }

    @Test
    void a_step_without_a_plugin_gets_none_and_no_bundle() throws Exception {
        StepRunner.Step<io.purifier.api.Plugin> train = new StepRunner.Step<>(StepPlans.MODEL, null, "small-cnn", null,
                ParamDescriptor.none().defaults(), null);
        Object plugin = runner(new RunFixtures.FakePlugins()).run(1, train, (p, ctx) -> new StepRunner.Output<>(p, Map.of()));
        assertNull(plugin);
        assertEquals("stepStarted 1", recorder.calls.get(0));
    }
}
