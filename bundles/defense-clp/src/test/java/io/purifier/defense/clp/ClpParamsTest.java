package io.purifier.defense.clp;

import io.purifier.api.param.InvalidParametersException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ClpParamsTest {

    @Test
    void defaults_are_backdoorbench_cifar10() {
        assertEquals(new ClpParams(3.0, 0.0, 10.0, 21), ClpParams.from(ClpParams.DESCRIPTOR.defaults()));
    }

    @Test
    void the_sweep_is_numpy_linspace() {
        assertArrayEquals(new double[]{0, 2.5, 5, 7.5, 10}, new ClpParams(3, 0, 10, 5).sweep(), 1e-12);
        assertArrayEquals(new double[]{1.5}, new ClpParams(3, 1.5, 2, 1).sweep(), 0);
        assertEquals(0, new ClpParams(3, 0, 10, 0).sweep().length);
    }

    @Test
    void names_the_bad_parameter() {
        assertEquals("uMax", assertThrows(InvalidParametersException.class,
                () -> ClpParams.from(ClpParams.DESCRIPTOR.resolve(Map.of("uMin", 5.0, "uMax", 4.0)))).parameter());
        assertEquals("u", assertThrows(InvalidParametersException.class,
                () -> ClpParams.DESCRIPTOR.resolve(Map.of("u", -1.0))).parameter());
        assertEquals("uSteps", assertThrows(InvalidParametersException.class,
                () -> ClpParams.DESCRIPTOR.resolve(Map.of("uSteps", 2.5))).parameter());
    }
}
