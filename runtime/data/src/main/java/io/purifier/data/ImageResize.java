package io.purifier.data;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.ImageSet;
import io.purifier.api.data.UnlabeledImages;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

/**
 * Makes images from one dataset fit a model trained on another: bilinear resizing and channel conversion
 * (grayscale to RGB by copying the plane, RGB to grayscale by ITU-R BT.601 luminance
 * {@code 0.299 R + 0.587 G + 0.114 B}, the rule of PIL's {@code convert("L")}).
 *
 * <p>Resizing uses half-pixel centers without anti-aliasing, like PyTorch's
 * {@code interpolate(mode="bilinear", align_corners=False)}: output pixel {@code (y, x)} samples the input at
 * {@code ((y + 0.5)·H/H' − 0.5, (x + 0.5)·W/W' − 0.5)}, clamped to the image. Inputs and outputs are
 * {@code [N, C, H, W]} FLOAT tensors; the input is never modified.</p>
 */
public final class ImageResize {

    /** BT.601 luminance weights of R, G and B. */
    private static final float[] LUMA = {0.299f, 0.587f, 0.114f};
    /** Floats processed per chunk, bounding the heap copies of large sets. */
    private static final int CHUNK_FLOATS = 1 << 20;

    private ImageResize() {
    }

    /**
     * Converts channels and resizes so the images are {@code [N, channels, height, width]}; returns the input
     * itself when it already has that shape.
     *
     * @throws InvalidInputException when the channel conversion is not 1↔3 or the size is not positive
     */
    public static INDArray fit(INDArray images, int channels, int height, int width) {
        requireRank4(images);
        INDArray out = images;
        int fromChannels = (int) images.size(1);
        if (channels < fromChannels) {
            out = convertChannels(out, channels);
        }
        out = resize(out, height, width);
        if (channels > fromChannels) {
            out = convertChannels(out, channels);
        }
        return out;
    }

    /** {@link #fit(INDArray, int, int, int)} for unlabeled images. */
    public static UnlabeledImages fit(UnlabeledImages images, int channels, int height, int width) {
        INDArray out = fit(images.images(), channels, height, width);
        return out == images.images() ? images : new UnlabeledImages(out);
    }

    /** {@link #fit(INDArray, int, int, int)} for a labeled set (labels and class names are kept). */
    public static ImageSet fit(ImageSet set, int channels, int height, int width) {
        INDArray out = fit(set.images(), channels, height, width);
        return out == set.images() ? set : new ImageSet(out, set.labels(), set.classNames());
    }

    /**
     * Bilinear resize of every image and channel; returns the input itself when the size already matches.
     *
     * @throws InvalidInputException when height or width is not positive
     */
    public static INDArray resize(INDArray images, int height, int width) {
        requireRank4(images);
        if (height < 1 || width < 1) {
            throw new InvalidInputException("cannot resize images to " + width + "x" + height + " pixels");
        }
        int n = (int) images.size(0);
        int c = (int) images.size(1);
        int h = (int) images.size(2);
        int w = (int) images.size(3);
        if (h == height && w == width) {
            return images;
        }
        INDArray result = Nd4j.create(DataType.FLOAT, n, c, height, width);
        if (n == 0) {
            return result;
        }
        FloatBuffer target = result.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
        Axis ys = new Axis(h, height);
        Axis xs = new Axis(w, width);
        int imagesPerChunk = Math.max(1, CHUNK_FLOATS / (c * Math.max(h * w, height * width)));
        for (int start = 0; start < n; start += imagesPerChunk) {
            int end = Math.min(n, start + imagesPerChunk);
            float[] in = images.get(interval(start, end)).castTo(DataType.FLOAT).dup('c').data().asFloat();
            float[] out = new float[(end - start) * c * height * width];
            for (int plane = 0; plane < (end - start) * c; plane++) {
                resizePlane(in, plane * h * w, w, out, plane * height * width, width, ys, xs);
            }
            target.put(out);
        }
        return result;
    }

    private static void resizePlane(float[] in, int src, int w, float[] out, int dst, int width, Axis ys, Axis xs) {
        for (int y = 0; y < ys.low.length; y++) {
            int row0 = src + ys.low[y] * w;
            int row1 = src + ys.high[y] * w;
            float fy = ys.weight[y];
            for (int x = 0; x < width; x++) {
                float fx = xs.weight[x];
                float top = in[row0 + xs.low[x]] * (1 - fx) + in[row0 + xs.high[x]] * fx;
                float bottom = in[row1 + xs.low[x]] * (1 - fx) + in[row1 + xs.high[x]] * fx;
                out[dst + y * width + x] = top * (1 - fy) + bottom * fy;
            }
        }
    }

    /**
     * Converts 1 channel to 3 (copies) or 3 to 1 (luminance); returns the input itself when it already has
     * {@code channels} channels.
     *
     * @throws InvalidInputException for any other conversion
     */
    public static INDArray convertChannels(INDArray images, int channels) {
        requireRank4(images);
        long from = images.size(1);
        if (from == channels) {
            return images;
        }
        INDArray floats = images.castTo(DataType.FLOAT);
        if (from == 1 && channels == 3) {
            return Nd4j.concat(1, floats, floats, floats);
        }
        if (from == 3 && channels == 1) {
            INDArray gray = floats.get(all(), point(0)).mul(LUMA[0])
                    .addi(floats.get(all(), point(1)).mul(LUMA[1]))
                    .addi(floats.get(all(), point(2)).mul(LUMA[2]));
            return gray.reshape('c', images.size(0), 1, images.size(2), images.size(3));
        }
        throw new InvalidInputException("cannot convert images with " + from + " channels to " + channels
                + " channels (only grayscale <-> RGB is supported)");
    }

    private static void requireRank4(INDArray images) {
        if (images.rank() != 4) {
            throw new InvalidInputException("images must be [N, C, H, W], got shape " + Arrays.toString(images.shape()));
        }
    }

    /** Source positions and weights along one axis, precomputed once per resize. */
    private static final class Axis {
        final int[] low;
        final int[] high;
        final float[] weight;

        Axis(int from, int to) {
            low = new int[to];
            high = new int[to];
            weight = new float[to];
            double scale = (double) from / to;
            for (int i = 0; i < to; i++) {
                double src = Math.max(0, (i + 0.5) * scale - 0.5);
                int lo = Math.min((int) Math.floor(src), from - 1);
                low[i] = lo;
                high[i] = Math.min(lo + 1, from - 1);
                weight[i] = (float) (src - lo);
            }
        }
    }
}
