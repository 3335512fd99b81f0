package io.purifier.data.poison;

import io.purifier.api.attack.PreviewImage;
import io.purifier.api.data.ImageSet;
import io.purifier.data.testing.TinyData;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class PreviewsTest {

    private static float[] pixels(PreviewImage preview) {
        return preview.image().dup('c').data().asFloat();
    }

    @Test
    void a_preview_is_clipped_into_zero_to_one_with_the_image_shape() {
        PreviewImage preview = Previews.of("p", new float[] {-0.5f, 0.5f, 1.5f, 1f}, 1, 2, 2);
        assertEquals("p", preview.caption());
        assertArrayEquals(new long[] {1, 2, 2}, preview.image().shape());
        assertArrayEquals(new float[] {0f, 0.5f, 1f, 1f}, pixels(preview));
    }

    @Test
    void sample_previews_show_the_clean_image_its_poisoned_version_and_the_trigger() {
        ImageSet set = TinyData.images(4, 3, 2, 2, 2, 5);
        float[] clean = TinyData.pixels(set, 2);
        List<PreviewImage> previews = Previews.ofSample(set, 2, image -> new float[image.length], "poisoned",
                "trigger", new float[12]);
        assertEquals(List.of("clean training sample #2", "poisoned", "trigger"),
                previews.stream().map(PreviewImage::caption).toList());
        assertArrayEquals(clean, pixels(previews.get(0)));
        assertArrayEquals(new float[12], pixels(previews.get(1)));
        assertArrayEquals(new float[12], pixels(previews.get(2)));
    }

    @Test
    void amplified_difference_maps_the_largest_change_to_zero_or_one_and_no_change_to_one_half() {
        float[] clean = {0.5f, 0.5f, 0.5f};
        assertArrayEquals(new float[] {0.75f, 0f, 0.5f},
                Previews.amplifiedDifference(clean, new float[] {0.625f, 0.25f, 0.5f}), 1e-6f);
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, Previews.amplifiedDifference(clean, clean.clone()));
    }
}
