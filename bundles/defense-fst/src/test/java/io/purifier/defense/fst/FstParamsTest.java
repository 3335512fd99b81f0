package io.purifier.defense.fst;

import io.purifier.api.param.InvalidParametersException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FstParamsTest {

    @Test
    void defaults_are_backdoorbench_cifar10_but_the_epochs() {
        assertEquals(new FstParams(20, 256, 0.01, 0.9, 5e-4, 0.2, 1), FstParams.from(FstParams.DESCRIPTOR.defaults()));
    }

    @Test
    void the_rate_is_a_cosine_over_the_epochs() {
        FstParams p = new FstParams(4, 32, 0.02, 0.9, 0, 0.2, 1);
        assertEquals(0.02, p.learningRateAt(0), 1e-18);
        assertEquals(0.01, p.learningRateAt(2), 1e-15);
        assertEquals(0.02 * 0.5 * (1 + Math.cos(Math.PI * 3 / 4)), p.learningRateAt(3), 1e-15);
    }

    @Test
    void probes_before_training_every_period_and_after_the_last_epoch() {
        FstParams p = new FstParams(5, 32, 0.01, 0.9, 0, 0.2, 2);
        assertTrue(p.probesAt(0));
        assertTrue(p.probesAt(2));
        assertFalse(p.probesAt(3));
        assertTrue(p.probesAt(5));
    }

    @Test
    void names_the_bad_parameter() {
        assertEquals("alpha", assertThrows(InvalidParametersException.class,
                () -> FstParams.DESCRIPTOR.resolve(Map.of("alpha", -0.1))).parameter());
        assertEquals("epochs", assertThrows(InvalidParametersException.class,
                () -> FstParams.DESCRIPTOR.resolve(Map.of("epochs", 0))).parameter());
    }
}
