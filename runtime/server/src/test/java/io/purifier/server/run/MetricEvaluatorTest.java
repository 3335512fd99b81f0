package io.purifier.server.run;

import io.purifier.api.InvalidInputException;
import io.purifier.api.PluginKind;
import io.purifier.api.metric.Evaluation;
import io.purifier.api.metric.Metric;
import io.purifier.api.metric.MetricValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

class MetricEvaluatorTest {

    @TempDir
    Path dir;
    final RunFixtures.RecordingRecorder recorder = new RunFixtures.RecordingRecorder();

    private RunState state(String... metrics) {
        RunState s = new RunState(1, RunFixtures.pipeline(RunFixtures.resolved("tiny"), null, null, List.of(),
                java.util.Arrays.stream(metrics).map(RunFixtures::resolved).toList()));
        s.data = RunFixtures.splits(6, 6);
        s.step = 2;
        return s;
    }

    private StepContext ctx() {
        return new StepContext(2, 42, dir, recorder, null, null, f -> { });
    }

    private static Metric metric(double value) {
        Metric m = mock(Metric.class);
        when(m.evaluate(any(), any())).thenAnswer(inv -> {
            Evaluation e = inv.<io.purifier.api.metric.MetricInput>getArgument(0).current();
            return List.of(MetricValue.fraction("ACC", value * ReportingProbes.fraction(e.cleanLabels(), e.cleanPredictions()),
                    MetricValue.Direction.HIGHER_IS_BETTER));
        });
        return m;
    }

    @Test
    void reports_every_metric_of_the_pipeline_for_the_running_step() {
        RunFixtures.FakePlugins plugins = new RunFixtures.FakePlugins().add(PluginKind.METRIC, "acc", metric(1.0));
        Evaluation e = new MetricEvaluator(plugins, recorder).evaluate(state("acc"), new RunFixtures.PixelModel(1), null, ctx());
        assertEquals(0.0, recorder.metrics.get("2:ACC"), 1e-12, "the shifted model is always wrong");
        assertEquals(6, e.cleanPredictions().length);
        assertTrue(recorder.logs.contains("INFO evaluating on 6 clean test images"), recorder.logs.toString());
    }

    @Test
    void a_non_finite_metric_value_fails_with_the_metric_named() {
        RunFixtures.FakePlugins plugins = new RunFixtures.FakePlugins().add(PluginKind.METRIC, "acc", metric(Double.NaN));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new MetricEvaluator(plugins, recorder).evaluate(state("acc"), new RunFixtures.PixelModel(0), null, ctx()));
        assertEquals("metric acc produced a non-finite value for ACC: NaN", e.getMessage());
        assertTrue(recorder.metrics.isEmpty());
    }

    @Test
    void a_removed_metric_is_named() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> new MetricEvaluator(new RunFixtures.FakePlugins(), recorder)
                .evaluate(state("gone"), new RunFixtures.PixelModel(0), null, ctx()));
        assertEquals("metric 'gone' is no longer installed", e.getMessage());
    }
}
