package io.purifier.defense.sau;

import io.purifier.api.param.InvalidParametersException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SauParamsTest {

    @Test
    void defaults_are_backdoorbench_cifar10_but_the_rounds() {
        assertEquals(new SauParams(10, 256, 1e-4, 0.0, PerturbationNorm.L_INF, 0.2, 0.2, "max", 5, 0.01, 1.0, 1.0, 0.0,
                1.0, 1, false, 1), SauParams.from(SauParams.DESCRIPTOR.defaults()));
    }

    @Test
    void names_the_bad_parameter() {
        assertEquals("normType", assertThrows(InvalidParametersException.class,
                () -> SauParams.DESCRIPTOR.resolve(Map.of("normType", "Linf"))).parameter());
        assertEquals("pgdInit", assertThrows(InvalidParametersException.class,
                () -> SauParams.DESCRIPTOR.resolve(Map.of("pgdInit", "one"))).parameter());
        assertEquals("advSteps", assertThrows(InvalidParametersException.class,
                () -> SauParams.DESCRIPTOR.resolve(Map.of("advSteps", 0))).parameter());
    }
}
