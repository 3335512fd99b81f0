package io.purifier.defense.wiper;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BenignSalienceTest {

    @Test
    void ema_of_minus_gradient_times_weight_starts_from_zero() {
        BenignSalience s = new BenignSalience(0.9, Map.of("fc/W", 3));
        s.update("fc/W", new double[]{0.2, -0.4, 1.0}, new double[]{0.5, 0.5, -2.0});
        // 0.9 * 0 - 0.1 * (g * w)
        assertArrayEquals(new double[]{-0.01, 0.02, 0.2}, s.of("fc/W"), 1e-15);
        s.update("fc/W", new double[]{1.0, 0.0, -0.5}, new double[]{0.3, 1.0, 4.0});
        assertArrayEquals(new double[]{0.9 * -0.01 - 0.1 * 0.3, 0.9 * 0.02, 0.9 * 0.2 - 0.1 * -2.0}, s.of("fc/W"), 1e-15);
    }

    @Test
    void rejects_unknown_parameters_and_wrong_lengths() {
        BenignSalience s = new BenignSalience(0.9, Map.of("fc/W", 3));
        assertThrows(IllegalArgumentException.class, () -> s.of("fc/b"));
        assertThrows(IllegalArgumentException.class, () -> s.update("fc/W", new double[2], new double[3]));
        assertThrows(IllegalArgumentException.class, () -> new BenignSalience(1.5, Map.of()));
    }
}
