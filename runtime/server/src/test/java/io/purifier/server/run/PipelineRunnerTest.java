package io.purifier.server.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.purifier.api.PluginKind;
import io.purifier.api.attack.Attack;
import io.purifier.api.attack.PoisonedData;
import io.purifier.api.data.DatasetProvider;
import io.purifier.api.defense.DataContract;
import io.purifier.api.defense.Defense;
import io.purifier.api.defense.DefenseResult;
import io.purifier.api.metric.Evaluation;
import io.purifier.api.metric.Metric;
import io.purifier.api.metric.MetricInput;
import io.purifier.api.metric.MetricValue;
import io.purifier.api.model.ModelFormat;
import io.purifier.api.param.ParamDescriptor;
import io.purifier.server.PurifierServer;
import io.purifier.server.pipeline.ValidatedPipeline;
import io.purifier.server.pipeline.ValidatedPipeline.DefensePlan;
import io.purifier.server.store.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** The whole sequence with fake plugins: what the recorder hears, in which order, and how failures end a run. */
class PipelineRunnerTest {

    @TempDir
    Path dir;
    final ObjectMapper json = PurifierServer.objectMapper();
    final RunFixtures.RecordingRecorder recorder = new RunFixtures.RecordingRecorder();

    private RunFixtures.FakePlugins plugins(DataContract contract, boolean defenseThrows) throws Exception {
        DatasetProvider dataset = mock(DatasetProvider.class);
        when(dataset.load(any(), any())).thenReturn(RunFixtures.splits(30, 9));
        Attack attack = mock(Attack.class);
        when(attack.poison(any(), any(), any())).thenAnswer(inv -> {
            io.purifier.api.data.DatasetSplits data = inv.getArgument(0);
            return new PoisonedData(data.train(), new int[]{0}, RunFixtures.images(3), new int[]{1, 1, 1}, null, List.of());
        });
        ModelFormat format = mock(ModelFormat.class);
        when(format.parameters()).thenReturn(ParamDescriptor.none());
        when(format.load(any(), any())).thenReturn(new RunFixtures.PixelModel(1));
        Defense defense = mock(Defense.class);
        when(defense.dataContract()).thenReturn(contract);
        if (defenseThrows) {
            when(defense.purify(any(), any(), any(), any())).thenThrow(new IllegalStateException("diverged"));
        } else {
            when(defense.purify(any(), any(), any(), any())).thenReturn(DefenseResult.of(new RunFixtures.PixelModel(0)));
        }
        Metric accuracy = mock(Metric.class);
        when(accuracy.evaluate(any(), any())).thenAnswer(inv -> {
            Evaluation e = inv.<MetricInput>getArgument(0).current();
            return List.of(MetricValue.fraction("ACC", ReportingProbes.fraction(e.cleanLabels(), e.cleanPredictions()),
                    MetricValue.Direction.HIGHER_IS_BETTER));
        });
        return new RunFixtures.FakePlugins().add(PluginKind.DATASET, "tiny", dataset).add(PluginKind.ATTACK, "corner", attack)
                .add(PluginKind.MODEL_FORMAT, "linear", format).add(PluginKind.DEFENSE, "shrink", defense)
                .add(PluginKind.METRIC, "acc", accuracy);
    }

    private RunStatus run(RunFixtures.FakePlugins plugins, DataContract contract) {
        ValidatedPipeline p = RunFixtures.pipeline(RunFixtures.resolved("tiny"),
                new ValidatedPipeline.ModelPlan("stored", null, null, "m-1"), RunFixtures.resolved("corner"),
                List.of(new DefensePlan(RunFixtures.resolved("shrink"), contract, 0.2, null)), List.of(RunFixtures.resolved("acc")));
        StoredModels stored = id -> Optional.of(new StoredModels.StoredModelFile(id, "linear", json.createObjectNode(), "cafe",
                dir.resolve("model.txt")));
        RunEnvironment env = new RunEnvironment(plugins, null, null, stored, null, dir.resolve("runs"), json, "test-version", null);
        return new PipelineRunner(env).run(new RunJob(11, p, "alice"), recorder);
    }

    @Test
    void a_pipeline_runs_its_steps_in_order_and_reports_each_model_s_metrics() throws Exception {
        DataContract heldOut = DataContract.unlabeled(0.2, false);
        assertEquals(RunStatus.SUCCEEDED, run(plugins(heldOut, false), heldOut));
        assertEquals(List.of("runStarted",
                "stepStarted 0 io.test.tiny", "stepFinished 0 SUCCEEDED",
                "stepStarted 1 io.test.corner", "stepFinished 1 SUCCEEDED",
                "stepStarted 2 io.test.linear", "stepFinished 2 SUCCEEDED",
                "stepStarted 3 io.test.shrink", "stepFinished 3 SUCCEEDED",
                "runFinished SUCCEEDED"), recorder.calls);
        assertEquals(Map.of("2:ACC", 0.0, "3:ACC", 1.0), recorder.metrics, "the defense repairs the shifted model");
        assertTrue(recorder.logs.contains("INFO held out 6 training images (20.0%) as unlabeled data for defenses; the model trains on the other 24"),
                recorder.logs.toString());
        assertEquals(List.of("INFO run started by alice: tiny pipeline"), recorder.logs.subList(0, 1));
        assertEquals("INFO run succeeded", recorder.logs.get(recorder.logs.size() - 1));
        assertEquals(4, recorder.provenance.get("steps").size());
        assertEquals("test-version", recorder.provenance.get("serverVersion").asText());
    }

    @Test
    void a_failing_defense_fails_the_run_naming_the_step() throws Exception {
        DataContract none = DataContract.none();
        assertEquals(RunStatus.FAILED, run(plugins(none, true), none));
        assertTrue(recorder.error.startsWith("step 4 (defend with shrink and evaluate): IllegalStateException: diverged"), recorder.error);
        assertEquals("runFinished FAILED", recorder.calls.get(recorder.calls.size() - 1));
    }

    @Test
    void a_defense_whose_contract_changed_since_validation_fails_its_step() throws Exception {
        assertEquals(RunStatus.FAILED, run(plugins(DataContract.none(), false), DataContract.labeledClean(0.1)));
        assertTrue(recorder.error.contains("defense shrink changed its data contract since the pipeline was validated"), recorder.error);
    }

    @Test
    void a_cancelled_step_cancels_the_run_and_a_shutdown_interrupts_it() {
        RunJob job = new RunJob(1, null, "alice");
        StepFailure cancelled = new StepFailure(io.purifier.server.store.StepStatus.CANCELLED, "cancelled by bob", null);
        job.cancel("cancelled by bob");
        assertEquals(RunStatus.CANCELLED, PipelineRunner.outcomeOf(cancelled, job));
        RunJob stopping = new RunJob(2, null, "alice");
        stopping.cancel(RunJob.SHUTDOWN);
        assertEquals(RunStatus.INTERRUPTED, PipelineRunner.outcomeOf(cancelled, stopping));
        assertEquals(RunStatus.FAILED, PipelineRunner.outcomeOf(
                new StepFailure(io.purifier.server.store.StepStatus.FAILED, "x", null), stopping));
    }
}
