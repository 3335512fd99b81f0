package io.purifier.server.pipeline;

import io.purifier.api.data.ImageSet;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DefenseDataTest {

    @Test
    void out_of_distribution_draws_are_capped_at_the_largest_class_balanced_subset() {
        int[] labels = {0, 0, 0, 1, 1, 2, 2, 2, 2};
        ImageSet set = new ImageSet(Nd4j.zeros(labels.length, 1, 2, 2), labels, List.of("a", "b", "c"));
        assertEquals(6, PipelineRunner.balancedCapacity(set), "3 classes x the smallest class (2 images)");
    }
}
