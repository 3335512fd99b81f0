package io.purifier.data.poison;

import io.purifier.api.data.ImageSet;
import io.purifier.data.testing.FakeRunContext;
import io.purifier.data.testing.TinyData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class PoisonedTrainingSetTest {

    @TempDir
    Path dir;

    @Test
    void chosen_images_carry_the_trigger_and_new_labels_and_the_rest_is_unchanged() {
        ImageSet train = TinyData.images(6, 2, 2, 3, 3, 1);
        float[] before = train.images().dup('c').data().asFloat();

        ImageSet poisoned = PoisonedTrainingSet.of(train, new int[] {1, 4}, image -> new float[image.length],
                label -> 2, new FakeRunContext(1L, dir));

        assertArrayEquals(new int[] {0, 2, 2, 0, 2, 2}, poisoned.labels());
        assertEquals(train.classNames(), poisoned.classNames());
        for (int i = 0; i < 6; i++) {
            float[] expected = i == 1 || i == 4 ? new float[12] : TinyData.pixels(train, i);
            assertArrayEquals(expected, TinyData.pixels(poisoned, i), "image " + i);
        }
        assertArrayEquals(new int[] {0, 1, 2, 0, 1, 2}, train.labels(), "the input labels are not written");
        assertArrayEquals(before, train.images().dup('c').data().asFloat(), "the input images are not written");
    }
}
