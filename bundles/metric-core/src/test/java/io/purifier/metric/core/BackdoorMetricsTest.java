package io.purifier.metric.core;

import io.purifier.api.metric.Evaluation;
import org.junit.jupiter.api.Test;

import java.util.OptionalDouble;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackdoorMetricsTest {

    /** 4 clean images (3 right) and 4 poisoned images of target 0: 2 hit the target, 1 keeps its label. */
    static final Evaluation BACKDOORED = new Evaluation(3,
            new int[] {0, 1, 2, 1}, new int[] {0, 1, 1, 1},
            new int[] {1, 2, 2, 1}, new int[] {0, 0, 0, 0}, new int[] {0, 0, 2, 0});

    @Test
    void clean_accuracy_counts_correct_clean_predictions() {
        assertEquals(OptionalDouble.of(0.75), BackdoorMetrics.cleanAccuracy(BACKDOORED));
    }

    @Test
    void attack_success_rate_counts_predictions_of_the_target() {
        assertEquals(OptionalDouble.of(0.75), BackdoorMetrics.attackSuccessRate(BACKDOORED));
    }

    @Test
    void robust_accuracy_counts_predictions_of_the_original_label() {
        assertEquals(OptionalDouble.of(0.25), BackdoorMetrics.robustAccuracy(BACKDOORED));
    }

    @Test
    void targets_may_differ_per_image() {
        // All-to-all: target = label + 1 mod 3.
        Evaluation e = new Evaluation(3, new int[] {0}, new int[] {0},
                new int[] {0, 1, 2}, new int[] {1, 2, 0}, new int[] {1, 1, 1});

        assertEquals(1 / 3.0, BackdoorMetrics.attackSuccessRate(e).getAsDouble(), 0);
        assertEquals(1 / 3.0, BackdoorMetrics.robustAccuracy(e).getAsDouble(), 0);
    }

    @Test
    void without_an_attack_asr_and_ra_are_undefined() {
        Evaluation clean = new Evaluation(2, new int[] {0, 1}, new int[] {0, 0}, null, null, null);

        assertEquals(OptionalDouble.empty(), BackdoorMetrics.attackSuccessRate(clean));
        assertEquals(OptionalDouble.empty(), BackdoorMetrics.robustAccuracy(clean));
        assertEquals(OptionalDouble.of(0.5), BackdoorMetrics.cleanAccuracy(clean));
    }

    @Test
    void empty_sets_give_undefined_rates_not_nan() {
        Evaluation empty = new Evaluation(2, new int[0], new int[0], new int[0], new int[0], new int[0]);

        assertTrue(BackdoorMetrics.cleanAccuracy(empty).isEmpty());
        assertTrue(BackdoorMetrics.attackSuccessRate(empty).isEmpty());
        assertTrue(BackdoorMetrics.robustAccuracy(empty).isEmpty());
    }

    @Test
    void der_rewards_the_asr_drop_and_charges_the_accuracy_drop() {
        // ASR 0.9 -> 0.1, ACC 0.8 -> 0.75: [0.8 - 0.05 + 1] / 2 = 0.875.
        assertEquals(0.875, BackdoorMetrics.defenseEffectivenessRate(0.9, 0.1, 0.8, 0.75), 1e-12);
        // Perfect defense: ASR 1 -> 0 at no accuracy cost.
        assertEquals(1.0, BackdoorMetrics.defenseEffectivenessRate(1, 0, 0.9, 0.9), 0);
        // Worst case: ASR unchanged, accuracy 1 -> 0.
        assertEquals(0.0, BackdoorMetrics.defenseEffectivenessRate(1, 1, 1, 0), 0);
    }

    @Test
    void der_ignores_asr_rises_and_accuracy_gains() {
        assertEquals(0.5, BackdoorMetrics.defenseEffectivenessRate(0.2, 0.6, 0.7, 0.9), 0);
    }

    @Test
    void rir_rewards_the_ra_gain_and_charges_the_accuracy_drop() {
        // RA 0.1 -> 0.6, ACC 0.9 -> 0.85: [0.5 - 0.05 + 1] / 2 = 0.725.
        assertEquals(0.725, BackdoorMetrics.robustImprovementRate(0.1, 0.6, 0.9, 0.85), 1e-12);
        // RA falls, accuracy rises: both terms are clamped at 0.
        assertEquals(0.5, BackdoorMetrics.robustImprovementRate(0.6, 0.1, 0.8, 0.9), 0);
    }

    @Test
    void der_and_rir_from_evaluations() {
        // After the defense: 4 of 4 clean right (ACC 1.0), no poisoned image at the target (ASR 0), 3 of 4 at their label (RA 0.75).
        Evaluation defended = new Evaluation(3,
                new int[] {0, 1, 2, 1}, new int[] {0, 1, 2, 1},
                new int[] {1, 2, 2, 1}, new int[] {0, 0, 0, 0}, new int[] {1, 2, 2, 2});

        // DER = [max(0, 0.75 - 0) - max(0, 0.75 - 1) + 1] / 2 = 0.875; RIR = [max(0, 0.75 - 0.25) - 0 + 1] / 2 = 0.75.
        assertEquals(OptionalDouble.of(0.875), BackdoorMetrics.defenseEffectivenessRate(BACKDOORED, defended));
        assertEquals(OptionalDouble.of(0.75), BackdoorMetrics.robustImprovementRate(BACKDOORED, defended));
        assertEquals(OptionalDouble.of(0.5), BackdoorMetrics.defenseEffectivenessRate(BACKDOORED, BACKDOORED));
    }

    @Test
    void der_and_rir_need_a_baseline_and_an_attack() {
        Evaluation clean = new Evaluation(3, new int[] {0}, new int[] {0}, null, null, null);

        assertTrue(BackdoorMetrics.defenseEffectivenessRate(null, BACKDOORED).isEmpty());
        assertTrue(BackdoorMetrics.robustImprovementRate(null, BACKDOORED).isEmpty());
        assertTrue(BackdoorMetrics.defenseEffectivenessRate(clean, clean).isEmpty());
        assertTrue(BackdoorMetrics.robustImprovementRate(clean, clean).isEmpty());
    }

    @Test
    void per_class_accuracy_and_confusion_matrix() {
        int[] labels = {0, 0, 1, 1, 1, 2};
        int[] predictions = {0, 1, 1, 1, 0, 0};

        assertArrayEquals(new long[][] {{1, 1, 0}, {1, 2, 0}, {1, 0, 0}}, BackdoorMetrics.confusionMatrix(labels, predictions, 3));
        assertArrayEquals(new double[] {0.5, 2 / 3.0, 0.0}, BackdoorMetrics.perClassAccuracy(labels, predictions, 3), 0);
    }

    @Test
    void per_class_accuracy_of_an_absent_class_is_nan_for_callers_to_drop() {
        double[] accuracy = BackdoorMetrics.perClassAccuracy(new int[] {0}, new int[] {0}, 2);

        assertEquals(1.0, accuracy[0], 0);
        assertTrue(Double.isNaN(accuracy[1]));
    }

    @Test
    void per_class_asr_counts_hits_on_each_image_s_own_target_by_source_class() {
        // all-to-all: class c goes to (c + 1) mod 3; class 2 has no triggered image
        int[] labels = {0, 0, 0, 1, 1};
        int[] targets = {1, 1, 1, 2, 2};
        int[] predictions = {1, 0, 1, 2, 1};

        double[] rate = BackdoorMetrics.perClassAttackSuccessRate(labels, targets, predictions, 3);

        assertEquals(2 / 3.0, rate[0], 1e-12);
        assertEquals(0.5, rate[1], 0);
        assertTrue(Double.isNaN(rate[2]));
    }

    @Test
    void per_class_asr_refuses_mismatched_arrays_and_foreign_labels() {
        var lengths = assertThrows(IllegalArgumentException.class,
                () -> BackdoorMetrics.perClassAttackSuccessRate(new int[] {0, 1}, new int[] {0}, new int[] {0, 0}, 2));
        var label = assertThrows(IllegalArgumentException.class,
                () -> BackdoorMetrics.perClassAttackSuccessRate(new int[] {0, 2}, new int[] {0, 0}, new int[] {0, 0}, 2));

        assertEquals("2 labels, 1 targets and 2 predictions", lengths.getMessage());
        assertEquals("label 2 of image 1 is outside [0, 2)", label.getMessage());
    }

    @Test
    void refuses_a_prediction_outside_the_classes() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> BackdoorMetrics.confusionMatrix(new int[] {0, 1}, new int[] {0, 3}, 3));

        assertEquals("prediction 3 of image 1 is outside [0, 3)", e.getMessage());
    }

    @Test
    void refuses_arrays_of_different_lengths() {
        var e = assertThrows(IllegalArgumentException.class, () -> BackdoorMetrics.agreement(new int[] {0, 1}, new int[] {0}));

        assertEquals("2 labels but 1 predictions", e.getMessage());
    }
}
