package io.purifier.bench.matrix;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The matrix command's option values. */
class MatrixCommandTest {

    @Test
    void seeds_take_a_whole_number_from_one_to_a_hundred_and_name_the_bad_value() {
        assertEquals(3, MatrixCommand.seeds("3"));
        assertEquals(100, MatrixCommand.seeds(" 100 "));
        assertEquals("--seeds takes a whole number from 1 to 100, not '0'",
                assertThrows(IllegalArgumentException.class, () -> MatrixCommand.seeds("0")).getMessage());
        assertEquals("--seeds takes a whole number from 1 to 100, not 'three'",
                assertThrows(IllegalArgumentException.class, () -> MatrixCommand.seeds("three")).getMessage());
        assertEquals("--seeds needs a number of seeds (1 to 100)",
                assertThrows(IllegalArgumentException.class, () -> MatrixCommand.seeds(null)).getMessage());
    }
}
