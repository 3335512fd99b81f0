package io.purifier.defense.ftsam;

import io.purifier.api.param.InvalidParametersException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FtSamParamsTest {

    @Test
    void defaults_are_backdoorbench_cifar10_but_the_epochs() {
        FtSamParams p = FtSamParams.from(FtSamParams.DESCRIPTOR.defaults());
        assertEquals(new FtSamParams(20, 256, 0.01, 0.9, 5e-4, StepSchedule.Kind.COSINE_STEPS, 100, 2.0, 2.0, true,
                0.0, 0.1, 4, false, 1), p);
        assertEquals(2.0, p.sam(2.0).rho(), 0);
        assertTrue(p.sam(2.0).adaptive());
    }

    @Test
    void names_the_bad_parameter() {
        assertEquals("rhoMin", assertThrows(InvalidParametersException.class,
                () -> FtSamParams.from(FtSamParams.DESCRIPTOR.resolve(Map.of("rhoMin", 3.0)))).parameter());
        assertEquals("schedule", assertThrows(InvalidParametersException.class,
                () -> FtSamParams.DESCRIPTOR.resolve(Map.of("schedule", "step"))).parameter());
        assertEquals("labelSmoothing", assertThrows(InvalidParametersException.class,
                () -> FtSamParams.DESCRIPTOR.resolve(Map.of("labelSmoothing", 1.0))).parameter());
    }

    @Test
    void probes_before_training_every_period_and_after_the_last_epoch() {
        FtSamParams p = FtSamParams.from(FtSamParams.DESCRIPTOR.resolve(Map.of("epochs", 7, "probeEvery", 3)));
        assertTrue(p.probesAt(0));
        assertTrue(p.probesAt(3));
        assertFalse(p.probesAt(4));
        assertTrue(p.probesAt(7));
        assertFalse(FtSamParams.from(FtSamParams.DESCRIPTOR.resolve(Map.of("probeEvery", 0))).probesAt(0));
    }
}
