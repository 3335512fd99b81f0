package io.purifier.api.data;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ImageSetTest {

    private static ImageSet fourImages() {
        float[] pixels = new float[4 * 2 * 2 * 2];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = i / 100f;
        }
        return new ImageSet(Nd4j.create(pixels, new long[]{4, 2, 2, 2}), new int[]{0, 1, 2, 1}, List.of("a", "b", "c"));
    }

    @Test
    void subset_picks_images_and_labels_in_the_given_order() {
        ImageSet set = fourImages();
        ImageSet picked = set.subset(new int[]{3, 0});
        assertEquals(2, picked.size());
        assertArrayEquals(new int[]{1, 0}, picked.labels());
        assertEquals(set.images().getDouble(3, 1, 1, 0), picked.images().getDouble(0, 1, 1, 0), 0);
        assertEquals(set.images().getDouble(0, 0, 0, 1), picked.images().getDouble(1, 0, 0, 1), 0);
        picked.images().putScalar(new long[]{0, 0, 0, 0}, 9f);
        assertEquals(0.24f, set.images().getFloat(3, 0, 0, 0), 1e-6, "a subset is a copy");
        assertEquals(0, set.subset(new int[0]).size());
    }

    @Test
    void refuses_labels_outside_the_classes_and_mismatched_counts() {
        assertThrows(IllegalArgumentException.class,
                () -> new ImageSet(Nd4j.zeros(2, 1, 2, 2), new int[]{0, 3}, List.of("a", "b")));
        assertThrows(IllegalArgumentException.class,
                () -> new ImageSet(Nd4j.zeros(2, 1, 2, 2), new int[]{0}, List.of("a", "b")));
        assertThrows(IllegalArgumentException.class,
                () -> new ImageSet(Nd4j.zeros(2, 4), new int[]{0, 1}, List.of("a", "b")));
    }
}
