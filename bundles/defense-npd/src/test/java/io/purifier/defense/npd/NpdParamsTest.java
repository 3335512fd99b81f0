package io.purifier.defense.npd;

import io.purifier.api.param.InvalidParametersException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NpdParamsTest {

    private static NpdParams resolve(Map<String, ?> raw) {
        return NpdParams.from(NpdParams.DESCRIPTOR.resolve(raw));
    }

    @Test
    void defaults_are_backdoorbench_cifar10_values() {
        NpdParams p = resolve(Map.of());
        assertEquals(5, p.warmupEpochs());
        assertEquals(128, p.batchSize());
        assertEquals(LossWeights.reference(), p.lambdas());
        AttackConfig a = p.attack(3, 32, 32);
        assertEquals(new AttackConfig(AttackNorm.L2, 3.0, 0.1, 2, StepRule.SIGN, false, 0.6, 80), a);
    }

    @Test
    void l2_radius_scales_with_the_square_root_of_the_input_size() {
        AttackConfig fashion = resolve(Map.of()).attack(1, 28, 28);
        assertEquals(3.0 * Math.sqrt(784.0 / 3072.0), fashion.radius(), 1e-12);
        assertEquals(1.5155, fashion.radius(), 1e-4);
        assertEquals(3.0, resolve(Map.of("radiusScaling", "none")).attack(1, 28, 28).radius(), 0.0);
    }

    @Test
    void linf_uses_its_own_radius_step_and_steps_with_max_init() {
        AttackConfig a = resolve(Map.of("norm", "Linf")).attack(1, 28, 28);
        assertEquals(new AttackConfig(AttackNorm.LINF, 0.2, 0.44, 10, StepRule.SIGN, true, 0.6, 80), a);
    }

    @Test
    void rejects_a_bad_value_naming_the_parameter() {
        var e = assertThrows(InvalidParametersException.class, () -> resolve(Map.of("earlyStopFraction", 1.5)));
        assertEquals("earlyStopFraction", e.parameter());
        var n = assertThrows(InvalidParametersException.class, () -> resolve(Map.of("norm", "L1")));
        assertEquals("norm", n.parameter());
    }
}
