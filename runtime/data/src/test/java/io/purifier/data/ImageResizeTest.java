package io.purifier.data;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.ImageSet;
import io.purifier.api.data.UnlabeledImages;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ImageResizeTest {

    private static INDArray image(float[] values, int c, int h, int w) {
        return Nd4j.create(values, new long[] {1, c, h, w}, 'c');
    }

    @Test
    void upsamples_like_pytorch_bilinear_without_corner_alignment() {
        INDArray in = image(new float[] {0, 1, 2, 3}, 1, 2, 2);

        INDArray out = ImageResize.resize(in, 4, 4);

        // torch.nn.functional.interpolate(x, size=4, mode="bilinear", align_corners=False) on [[0,1],[2,3]].
        float[] expected = {
            0.0f, 0.25f, 0.75f, 1.0f,
            0.5f, 0.75f, 1.25f, 1.5f,
            1.5f, 1.75f, 2.25f, 2.5f,
            2.0f, 2.25f, 2.75f, 3.0f};
        assertArrayEquals(expected, out.reshape(16).toFloatVector(), 1e-6f);
    }

    @Test
    void halving_averages_each_two_by_two_block() {
        INDArray in = Nd4j.arange(32).castTo(DataType.FLOAT).reshape(2, 1, 4, 4);

        INDArray out = ImageResize.resize(in, 2, 2);

        assertArrayEquals(new long[] {2, 1, 2, 2}, out.shape());
        assertArrayEquals(new float[] {2.5f, 4.5f, 10.5f, 12.5f, 18.5f, 20.5f, 26.5f, 28.5f}, out.reshape(8).toFloatVector(), 1e-6f);
    }

    @Test
    void returns_the_input_when_nothing_changes() {
        INDArray in = Nd4j.rand(DataType.FLOAT, 2, 3, 5, 5);

        assertSame(in, ImageResize.fit(in, 3, 5, 5));
    }

    @Test
    void gray_becomes_rgb_by_copying_the_plane() {
        INDArray gray = image(new float[] {0.1f, 0.2f, 0.3f, 0.4f}, 1, 2, 2);

        INDArray rgb = ImageResize.convertChannels(gray, 3);

        assertArrayEquals(new long[] {1, 3, 2, 2}, rgb.shape());
        assertArrayEquals(new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.1f, 0.2f, 0.3f, 0.4f, 0.1f, 0.2f, 0.3f, 0.4f},
                rgb.reshape(12).toFloatVector(), 0f);
    }

    @Test
    void rgb_becomes_gray_by_bt601_luminance() {
        // Two pixels: pure red, and (0.5, 1, 0.25).
        INDArray rgb = image(new float[] {1f, 0.5f, 0f, 1f, 0f, 0.25f}, 3, 1, 2);

        INDArray gray = ImageResize.convertChannels(rgb, 1);

        assertArrayEquals(new long[] {1, 1, 1, 2}, gray.shape());
        assertArrayEquals(new float[] {0.299f, 0.299f * 0.5f + 0.587f + 0.114f * 0.25f}, gray.reshape(2).toFloatVector(), 1e-6f);
    }

    @Test
    void fits_cifar_sized_color_images_to_a_fashion_mnist_model() {
        ImageSet set = new ImageSet(Nd4j.rand(DataType.FLOAT, 3, 3, 32, 32), new int[] {0, 1, 0}, List.of("a", "b"));

        ImageSet fitted = ImageResize.fit(set, 1, 28, 28);
        UnlabeledImages unlabeled = ImageResize.fit(set.withoutLabels(), 1, 28, 28);

        assertArrayEquals(new long[] {3, 1, 28, 28}, fitted.images().shape());
        assertArrayEquals(new int[] {0, 1, 0}, fitted.labels());
        assertEquals(fitted.images(), unlabeled.images());
        // Resizing and the luminance are both linear, so the order of the two steps does not matter.
        INDArray otherOrder = ImageResize.convertChannels(ImageResize.resize(set.images(), 28, 28), 1);
        assertEquals(0, otherOrder.sub(fitted.images()).amaxNumber().doubleValue(), 1e-6);
    }

    @Test
    void fits_gray_images_to_a_color_model() {
        INDArray gray = Nd4j.rand(DataType.FLOAT, 2, 1, 28, 28);

        INDArray fitted = ImageResize.fit(gray, 3, 32, 32);

        assertArrayEquals(new long[] {2, 3, 32, 32}, fitted.shape());
        assertEquals(fitted.getFloat(1, 0, 7, 9), fitted.getFloat(1, 2, 7, 9), 0f);
    }

    @Test
    void refuses_conversions_other_than_gray_and_rgb() {
        INDArray twoChannels = Nd4j.rand(DataType.FLOAT, 1, 2, 4, 4);

        var e = assertThrows(InvalidInputException.class, () -> ImageResize.convertChannels(twoChannels, 3));

        assertEquals("cannot convert images with 2 channels to 3 channels (only grayscale <-> RGB is supported)", e.getMessage());
    }

    @Test
    void refuses_an_empty_target_size() {
        INDArray in = Nd4j.rand(DataType.FLOAT, 1, 1, 4, 4);

        var e = assertThrows(InvalidInputException.class, () -> ImageResize.resize(in, 0, 4));

        assertEquals("cannot resize images to 4x0 pixels", e.getMessage());
    }
}
