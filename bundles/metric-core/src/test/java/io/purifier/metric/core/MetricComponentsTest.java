package io.purifier.metric.core;

import io.purifier.api.metric.Evaluation;
import io.purifier.api.metric.Metric;
import io.purifier.api.metric.MetricInput;
import io.purifier.api.metric.MetricValue;
import io.purifier.api.metric.MetricValue.Direction;
import io.purifier.api.param.ParamDescriptor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricComponentsTest {

    private static final Evaluation CLEAN_ONLY = new Evaluation(3, new int[] {0, 1, 1}, new int[] {0, 1, 2}, null, null, null);
    private static final Evaluation DEFENDED = new Evaluation(3,
            new int[] {0, 1, 2, 1}, new int[] {0, 1, 2, 1},
            new int[] {1, 2, 2, 1}, new int[] {0, 0, 0, 0}, new int[] {1, 2, 2, 2});

    private static List<MetricValue> run(Metric metric, Evaluation current, Evaluation baseline) {
        return metric.evaluate(new MetricInput(current, baseline), metric.parameters().defaults());
    }

    @Test
    void every_component_declares_its_id_as_a_service_property() throws IOException {
        List<Metric> metrics = List.of(new CleanAccuracyMetric(), new AttackSuccessRateMetric(), new RobustAccuracyMetric(),
                new DefenseEffectivenessRateMetric(), new RobustImprovementRateMetric(), new PerClassAccuracyMetric(),
                new ConfusionMatrixMetric(), new PerClassAttackSuccessRateMetric());

        assertEquals(List.of("c-acc", "asr", "ra", "der", "rir", "per-class-accuracy", "confusion-matrix", "per-class-asr"),
                metrics.stream().map(Metric::id).toList());
        for (Metric metric : metrics) {
            // bnd writes the DS descriptor into target/classes before the tests run.
            String xml = descriptor(metric.getClass());
            assertTrue(xml.contains("<property name=\"purifier.id\" type=\"String\" value=\"" + metric.id() + "\"/>"), xml);
            assertTrue(xml.contains("<property name=\"purifier.kind\" type=\"String\" value=\"metric\"/>"), xml);
            assertTrue(xml.contains("<provide interface=\"io.purifier.api.metric.Metric\"/>"), xml);
            assertEquals(ParamDescriptor.none(), metric.parameters());
            assertTrue(!metric.name().isBlank() && !metric.description().isBlank());
        }
    }

    private static String descriptor(Class<?> type) throws IOException {
        try (InputStream in = type.getResourceAsStream("/OSGI-INF/" + type.getName() + ".xml")) {
            if (in == null) {
                throw new AssertionError("no DS descriptor for " + type.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void rates_on_a_backdoored_model() {
        Evaluation backdoored = BackdoorMetricsTest.BACKDOORED;

        assertEquals(List.of(MetricValue.fraction("C-ACC", 0.75, Direction.HIGHER_IS_BETTER)), run(new CleanAccuracyMetric(), backdoored, null));
        assertEquals(List.of(MetricValue.fraction("ASR", 0.75, Direction.LOWER_IS_BETTER)), run(new AttackSuccessRateMetric(), backdoored, null));
        assertEquals(List.of(MetricValue.fraction("RA", 0.25, Direction.HIGHER_IS_BETTER)), run(new RobustAccuracyMetric(), backdoored, null));
    }

    @Test
    void der_and_rir_against_the_baseline() {
        assertEquals(List.of(MetricValue.fraction("DER", 0.875, Direction.HIGHER_IS_BETTER)),
                run(new DefenseEffectivenessRateMetric(), DEFENDED, BackdoorMetricsTest.BACKDOORED));
        assertEquals(List.of(MetricValue.fraction("RIR", 0.75, Direction.HIGHER_IS_BETTER)),
                run(new RobustImprovementRateMetric(), DEFENDED, BackdoorMetricsTest.BACKDOORED));
    }

    @Test
    void attack_metrics_are_empty_without_poisoned_data_or_baseline() {
        assertEquals(List.of(), run(new AttackSuccessRateMetric(), CLEAN_ONLY, null));
        assertEquals(List.of(), run(new RobustAccuracyMetric(), CLEAN_ONLY, null));
        assertEquals(List.of(), run(new DefenseEffectivenessRateMetric(), CLEAN_ONLY, CLEAN_ONLY));
        assertEquals(List.of(), run(new RobustImprovementRateMetric(), CLEAN_ONLY, CLEAN_ONLY));
        assertEquals(List.of(), run(new DefenseEffectivenessRateMetric(), DEFENDED, null));
        assertEquals(List.of(), run(new RobustImprovementRateMetric(), DEFENDED, null));
    }

    @Test
    void per_class_accuracy_names_values_by_class_index_and_skips_absent_classes() {
        assertEquals(List.of(
                        MetricValue.fraction("acc[0]", 1.0, Direction.HIGHER_IS_BETTER),
                        MetricValue.fraction("acc[1]", 0.5, Direction.HIGHER_IS_BETTER)),
                run(new PerClassAccuracyMetric(), CLEAN_ONLY, null));
    }

    @Test
    void per_class_asr_names_values_by_source_class_and_skips_classes_without_triggered_images() {
        assertEquals(List.of(
                        MetricValue.fraction("asr[1]", 1.0, Direction.LOWER_IS_BETTER),
                        MetricValue.fraction("asr[2]", 0.5, Direction.LOWER_IS_BETTER)),
                run(new PerClassAttackSuccessRateMetric(), BackdoorMetricsTest.BACKDOORED, null));
        assertEquals(List.of(), run(new PerClassAttackSuccessRateMetric(), CLEAN_ONLY, null));
    }

    @Test
    void confusion_matrix_lists_every_cell_as_a_count() {
        List<MetricValue> values = run(new ConfusionMatrixMetric(), CLEAN_ONLY, null);

        assertEquals(9, values.size());
        assertEquals(new MetricValue("confusion[0,0]", 1, Direction.NEUTRAL, "count"), values.get(0));
        assertEquals(new MetricValue("confusion[1,1]", 1, Direction.NEUTRAL, "count"), values.get(4));
        assertEquals(new MetricValue("confusion[1,2]", 1, Direction.NEUTRAL, "count"), values.get(5));
        assertEquals(new MetricValue("confusion[2,2]", 0, Direction.NEUTRAL, "count"), values.get(8));
    }
}
