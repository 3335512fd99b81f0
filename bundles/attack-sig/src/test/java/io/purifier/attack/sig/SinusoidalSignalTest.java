package io.purifier.attack.sig;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SinusoidalSignalTest {

    @Test
    void default_signal_peaks_at_40_over_255_a_quarter_period_in() {
        SinusoidalSignal signal = new SinusoidalSignal(1, 1, 24, 40 / 255.0, 6);
        float[] v = signal.columnValues();
        assertEquals(0f, v[0], 0f);
        assertEquals(40 / 255f, v[1], 1e-7f);
        assertEquals(0f, v[2], 1e-7f);
        assertEquals(-40 / 255f, v[3], 1e-7f);
        assertEquals(40 / 255f, v[5], 1e-7f);
    }

    @Test
    void adds_the_same_column_values_to_every_row_and_channel_and_clips() {
        SinusoidalSignal signal = new SinusoidalSignal(2, 2, 4, 0.2, 1);
        float[] image = {
            0.5f, 0.5f, 0.5f, 0.5f,
            0.95f, 0.95f, 0.05f, 0.05f,
            0.1f, 0.3f, 0.7f, 0.9f,
            0.0f, 0.0f, 1.0f, 1.0f};
        float[] expected = {
            0.5f, 0.7f, 0.5f, 0.3f,
            0.95f, 1.0f, 0.05f, 0.0f,
            0.1f, 0.5f, 0.7f, 0.7f,
            0.0f, 0.2f, 1.0f, 0.8f};
        assertArrayEquals(expected, signal.apply(image), 1e-6f);
    }

    @Test
    void picture_maps_minus_delta_to_0_zero_to_half_and_delta_to_1() {
        SinusoidalSignal signal = new SinusoidalSignal(1, 1, 4, 0.2, 1);
        assertArrayEquals(new float[] {0.5f, 1f, 0.5f, 0f}, signal.picture(0.2), 1e-6f);
    }
}
