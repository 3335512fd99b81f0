package io.purifier.data.poison;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class ImagePixelsTest {

    @Test
    void reads_an_image_of_a_non_contiguous_view_in_channel_row_column_order() {
        INDArray base = Nd4j.create(new float[] {0, 1, 2, 3, 4, 5, 6, 7}, new long[] {2, 1, 2, 2}, 'c');
        INDArray transposed = base.permute(0, 1, 3, 2);
        assertArrayEquals(new float[] {4, 6, 5, 7}, ImagePixels.read(transposed, 1));
    }

    @Test
    void writes_one_image_and_leaves_the_others() {
        INDArray images = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 1, 2, 2);
        ImagePixels.write(images, 1, new float[] {1, 2, 3, 4});
        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 2, 3, 4}, images.dup('c').data().asFloat());
    }
}
