package io.purifier.data.poison;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Copies single images between an {@code [N, C, H, W]} tensor and plain {@code float[C*H*W]} arrays (C order). */
public final class ImagePixels {

    private ImagePixels() {
    }

    /** A copy of image {@code index} of {@code images}, as {@code C*H*W} floats in channel, row, column order. */
    public static float[] read(INDArray images, int index) {
        return images.slice(index).dup('c').data().asFloat();
    }

    /** Overwrites image {@code index} of {@code images} (which must be a tensor the caller owns) with {@code pixels}. */
    public static void write(INDArray images, int index, float[] pixels) {
        long[] shape = {images.size(1), images.size(2), images.size(3)};
        images.slice(index).assign(Nd4j.create(pixels, shape, 'c'));
    }

    /** {@code pixels} ({@code C*H*W} floats) as a {@code [C, H, W]} tensor. */
    public static INDArray asImage(float[] pixels, int channels, int height, int width) {
        return Nd4j.create(pixels, new long[] {channels, height, width}, 'c');
    }
}
