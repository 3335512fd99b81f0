package io.purifier.defense.npd;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class MostProbableWrongClassTest {

    @Test
    void takes_the_top_class_when_it_is_wrong_and_the_runner_up_otherwise() {
        var logits = Nd4j.createFromArray(new float[][]{{3, 1, 2}, {1, 3, 2}, {0, 0.5f, 0.2f}, {5, 4, 4.5f}});
        assertArrayEquals(new int[]{2, 1, 1, 2}, MostProbableWrongClass.of(logits, new int[]{0, 0, 2, 0}));
    }

    @Test
    void runner_up_of_a_top_class_other_than_zero() {
        var logits = Nd4j.createFromArray(new float[][]{{1, 0, 9, 3}});
        assertArrayEquals(new int[]{3}, MostProbableWrongClass.of(logits, new int[]{2}));
    }
}
