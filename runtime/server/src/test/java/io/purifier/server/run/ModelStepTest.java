package io.purifier.server.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.purifier.api.PluginKind;
import io.purifier.api.metric.Metric;
import io.purifier.api.metric.MetricValue;
import io.purifier.api.model.ModelFormat;
import io.purifier.api.param.ParamDescriptor;
import io.purifier.server.PurifierServer;
import io.purifier.server.pipeline.ValidatedPipeline;
import io.purifier.server.store.StepStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

class ModelStepTest {

    @TempDir
    Path dir;
    final ObjectMapper json = PurifierServer.objectMapper();
    final RunFixtures.RecordingRecorder recorder = new RunFixtures.RecordingRecorder();

    private RunState state() {
        ValidatedPipeline p = RunFixtures.pipeline(RunFixtures.resolved("tiny"),
                new ValidatedPipeline.ModelPlan("stored", null, null, "m-1"), null, List.of(), List.of(RunFixtures.resolved("acc")));
        RunState s = new RunState(3, p);
        s.data = RunFixtures.splits(6, 6);
        s.cleanTrain = s.data.train();
        s.step = 1;
        return s;
    }

    private ModelStep step(RunFixtures.FakePlugins plugins, StoredModels stored) {
        StepRunner steps = new StepRunner(plugins, recorder, new RunJob(3, state().pipeline, "alice"),
                new Provenance(json, 42, "alice", "test", null), new RunProgress(new double[]{1, 1}, recorder), dir, null, json);
        return new ModelStep(steps, null, stored, plugins, new MetricEvaluator(plugins, recorder), json);
    }

    private static Metric accuracy() {
        Metric m = mock(Metric.class);
        when(m.evaluate(any(), any())).thenReturn(List.of(MetricValue.fraction("ACC", 1, MetricValue.Direction.HIGHER_IS_BETTER)));
        return m;
    }

    @Test
    void a_stored_model_is_loaded_with_its_format_and_becomes_the_baseline() throws Exception {
        ModelFormat format = mock(ModelFormat.class);
        when(format.parameters()).thenReturn(ParamDescriptor.none());
        Path file = dir.resolve("model.txt");
        when(format.load(eq(file), any())).thenReturn(new RunFixtures.PixelModel(0));
        RunFixtures.FakePlugins plugins = new RunFixtures.FakePlugins()
                .add(PluginKind.MODEL_FORMAT, "linear", format).add(PluginKind.METRIC, "acc", accuracy());
        StoredModels stored = id -> Optional.of(new StoredModels.StoredModelFile(id, "linear", json.createObjectNode(), "cafe", file));
        RunState s = state();
        step(plugins, stored).run(s);
        assertNotNull(s.model);
        assertNotNull(s.baseline);
        assertEquals(2, s.step);
        assertEquals(1.0, recorder.metrics.get("1:ACC"), 1e-12);
        assertEquals("stepFinished 1 SUCCEEDED", recorder.calls.get(1));
    }

    @Test
    void a_deleted_stored_model_fails_the_step_with_its_id() {
        StepFailure f = assertThrows(StepFailure.class, () -> step(new RunFixtures.FakePlugins(), id -> Optional.empty()).run(state()));
        assertEquals(StepStatus.FAILED, f.status());
        assertEquals("stored model m-1 no longer exists", f.getMessage());
    }

    @Test
    void a_model_that_does_not_fit_the_dataset_fails_the_step_with_both_shapes() throws Exception {
        ModelFormat format = mock(ModelFormat.class);
        when(format.parameters()).thenReturn(ParamDescriptor.none());
        io.purifier.api.model.Model wide = mock(io.purifier.api.model.Model.class);
        when(wide.info()).thenReturn(new io.purifier.api.model.ModelInfo("wide", 3, 32, 32, RunFixtures.CLASSES,
                io.purifier.api.data.Normalization.identity(3), List.of(), java.util.Map.of()));
        when(format.load(any(), any())).thenReturn(wide);
        RunFixtures.FakePlugins plugins = new RunFixtures.FakePlugins().add(PluginKind.MODEL_FORMAT, "linear", format);
        StoredModels stored = id -> Optional.of(new StoredModels.StoredModelFile(id, "linear", json.createObjectNode(), "cafe", dir));
        StepFailure f = assertThrows(StepFailure.class, () -> step(plugins, stored).run(state()));
        assertEquals("the model expects 3x32x32 images but dataset tiny has 1x2x2", f.getMessage());
    }
}
