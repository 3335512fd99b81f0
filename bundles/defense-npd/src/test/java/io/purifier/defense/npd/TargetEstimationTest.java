package io.purifier.defense.npd;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class TargetEstimationTest {

    @Test
    void picks_the_most_confident_wrong_class_per_sample() {
        var logits = Nd4j.createFromArray(new float[][]{{1, 5, 3}, {4, 2, 2.5f}, {0, 9, 8}});
        assertArrayEquals(new int[]{2, 2, 2}, TargetEstimation.perSample(logits, new int[]{1, 0, 1}, -10));
    }

    @Test
    void returns_the_true_label_when_every_wrong_logit_is_below_minus_ten() {
        var logits = Nd4j.createFromArray(new float[][]{{-20, -15, -12}, {-20, -15, -9.5f}});
        assertArrayEquals(new int[]{0, 2}, TargetEstimation.perSample(logits, new int[]{0, 0}, -10));
    }

    @Test
    void the_overwrite_value_is_a_parameter() {
        var logits = Nd4j.createFromArray(new float[][]{{-20, -15, -12}});
        assertArrayEquals(new int[]{2}, TargetEstimation.perSample(logits, new int[]{0}, Double.NEGATIVE_INFINITY));
    }

    @Test
    void ties_go_to_the_lowest_class() {
        var logits = Nd4j.createFromArray(new float[][]{{7, 2, 2}});
        assertArrayEquals(new int[]{1}, TargetEstimation.perSample(logits, new int[]{0}, -10));
    }

    @Test
    void batch_majority_gives_everyone_the_most_frequent_estimate_except_its_own_class() {
        int[] perSample = {2, 0, 1, 2, 1};
        int[] labels = {0, 2, 0, 1, 2};
        // votes: class 1 and class 2 twice each -> the lower, 1; sample 3 (label 1) keeps its own estimate 2
        assertArrayEquals(new int[]{1, 1, 1, 2, 1}, TargetEstimation.batchMajority(perSample, labels, 3));
    }
}
