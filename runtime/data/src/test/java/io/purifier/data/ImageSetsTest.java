package io.purifier.data;

import io.purifier.api.data.ImageSet;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ImageSetsTest {

    private final ImageSet set = new ImageSet(Nd4j.arange(4 * 2 * 3 * 3).castTo(DataType.FLOAT).divi(100).reshape(4, 2, 3, 3),
            new int[] {0, 1, 2, 1}, List.of("a", "b", "c"));

    @Test
    void selects_images_and_labels_in_the_given_order() {
        ImageSet picked = ImageSets.select(set, new int[] {3, 0, 3});

        assertArrayEquals(new long[] {3, 2, 3, 3}, picked.images().shape());
        assertArrayEquals(new int[] {1, 0, 1}, picked.labels());
        assertEquals(set.images().get(NDArrayIndex.point(3)), picked.images().get(NDArrayIndex.point(0)));
        assertEquals((3 * 18 + 17) / 100f, picked.images().getFloat(2, 1, 2, 2), 1e-7f);
        assertEquals(0f, picked.images().getFloat(1, 0, 0, 0), 0f);
    }

    @Test
    void selects_nothing_as_an_empty_set_of_the_same_image_shape() {
        ImageSet none = ImageSets.select(set, new int[0]);

        assertArrayEquals(new long[] {0, 2, 3, 3}, none.images().shape());
        assertEquals(0, none.size());
    }

    @Test
    void rejects_an_index_outside_the_set() {
        var e = assertThrows(IndexOutOfBoundsException.class, () -> ImageSets.select(set, new int[] {4}));

        assertEquals("index 4 is outside [0, 4)", e.getMessage());
    }
}
