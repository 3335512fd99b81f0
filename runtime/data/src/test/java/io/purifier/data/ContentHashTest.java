package io.purifier.data;

import io.purifier.api.data.ImageSet;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class ContentHashTest {

    private static ImageSet set(long seed, int[] labels, List<String> names) {
        Nd4j.getRandom().setSeed(seed);
        INDArray images = Nd4j.rand(DataType.FLOAT, labels.length, 1, 6, 6);
        return new ImageSet(images, labels, names);
    }

    @Test
    void identical_data_gives_identical_hashes() {
        ImageSet a = set(1, new int[] {0, 1, 1}, List.of("x", "y"));
        ImageSet copy = new ImageSet(a.images().dup(), a.labels(), a.classNames());

        assertEquals(ContentHash.of(a), ContentHash.of(copy));
        assertEquals(64, ContentHash.of(a).length());
    }

    @Test
    void a_subset_view_hashes_like_the_same_data_created_fresh() {
        ImageSet a = set(2, new int[] {0, 1, 1, 0}, List.of("x", "y"));
        ImageSet picked = ImageSets.select(a, new int[] {1, 3});
        ImageSet fresh = new ImageSet(Nd4j.create(picked.images().dup().data().asFloat(), new long[] {2, 1, 6, 6}, 'c'),
                new int[] {1, 0}, List.of("x", "y"));

        assertEquals(ContentHash.of(fresh), ContentHash.of(picked));
    }

    @Test
    void one_changed_pixel_changes_the_hash() {
        ImageSet a = set(3, new int[] {0, 1, 1}, List.of("x", "y"));
        INDArray changed = a.images().dup();
        changed.putScalar(new long[] {2, 0, 5, 5}, changed.getFloat(2, 0, 5, 5) + 1e-6f);

        assertNotEquals(ContentHash.of(a), ContentHash.of(new ImageSet(changed, a.labels(), a.classNames())));
    }

    @Test
    void a_changed_label_or_class_name_or_order_changes_the_hash() {
        ImageSet a = set(4, new int[] {0, 1, 1}, List.of("x", "y"));
        ImageSet b = set(5, new int[] {1, 1}, List.of("x", "y"));

        String reference = ContentHash.of(a, b);
        assertNotEquals(reference, ContentHash.of(new ImageSet(a.images(), new int[] {0, 1, 0}, a.classNames()), b));
        assertNotEquals(reference, ContentHash.of(new ImageSet(a.images(), a.labels(), List.of("x", "z")), b));
        assertNotEquals(reference, ContentHash.of(b, a));
        assertNotEquals(reference, ContentHash.of(a));
    }

    @Test
    void the_same_pixels_in_another_shape_hash_differently() {
        INDArray pixels = Nd4j.arange(72).castTo(DataType.FLOAT).divi(72);
        ImageSet square = new ImageSet(pixels.reshape(2, 1, 6, 6), new int[] {0, 0}, List.of("x"));
        ImageSet wide = new ImageSet(pixels.reshape(2, 1, 4, 9), new int[] {0, 0}, List.of("x"));

        assertNotEquals(ContentHash.of(square), ContentHash.of(wide));
        assertEquals(ContentHash.of(square.withoutLabels()), ContentHash.of(square.withoutLabels()));
        assertNotEquals(ContentHash.of(square.withoutLabels()), ContentHash.of(wide.withoutLabels()));
    }
}
