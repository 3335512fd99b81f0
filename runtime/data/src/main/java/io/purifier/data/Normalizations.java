package io.purifier.data;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.ImageSet;
import io.purifier.api.data.Normalization;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

/**
 * Per-channel normalizations: computed from data, and the standard constants of known datasets.
 *
 * <p>{@link #compute} gives the mean and the population standard deviation of all pixels of each channel
 * (values in [0, 1]), accumulated in double precision. That is how the published constants were obtained:
 * on the 60,000 Fashion-MNIST training images it gives mean 0.28604, std 0.35302 (measured on this project's
 * machine from the Debian package {@code dataset-fashion-mnist}).</p>
 */
public final class Normalizations {

    /** Floats copied to the heap per chunk when computing statistics. */
    private static final int CHUNK_FLOATS = 1 << 20;

    private Normalizations() {
    }

    /** Fashion-MNIST's training-set statistics: mean 0.2860, std 0.3530 (one channel). */
    public static Normalization fashionMnist() {
        return new Normalization(new double[] {0.2860}, new double[] {0.3530});
    }

    /**
     * CIFAR-10's constants as BackdoorBench uses them: mean (0.4914, 0.4822, 0.4465), std (0.247, 0.243, 0.261).
     */
    public static Normalization cifar10() {
        return new Normalization(new double[] {0.4914, 0.4822, 0.4465}, new double[] {0.247, 0.243, 0.261});
    }

    /** The per-channel mean and population standard deviation of a set's pixels. */
    public static Normalization compute(ImageSet set) {
        return compute(set.images());
    }

    /**
     * The per-channel mean and population standard deviation of {@code [N, C, H, W]} pixels.
     *
     * @throws InvalidInputException when there are no images, or a channel is constant (its std would be 0)
     */
    public static Normalization compute(INDArray images) {
        if (images.rank() != 4 || images.size(0) == 0) {
            throw new InvalidInputException("cannot compute a normalization from " + images.shapeInfoToString().trim()
                    + ": need a non-empty [N, C, H, W] tensor");
        }
        long n = images.size(0);
        int channels = (int) images.size(1);
        int plane = (int) (images.size(2) * images.size(3));
        double[] sum = new double[channels];
        double[] sumSquares = new double[channels];
        int imagesPerChunk = Math.max(1, CHUNK_FLOATS / (channels * plane));
        for (long start = 0; start < n; start += imagesPerChunk) {
            long end = Math.min(n, start + imagesPerChunk);
            float[] values = images.get(interval(start, end)).castTo(DataType.FLOAT).dup('c').data().asFloat();
            for (int offset = 0; offset < values.length; offset += channels * plane) {
                for (int c = 0; c < channels; c++) {
                    double s = 0;
                    double q = 0;
                    for (int i = offset + c * plane, last = i + plane; i < last; i++) {
                        double v = values[i];
                        s += v;
                        q += v * v;
                    }
                    sum[c] += s;
                    sumSquares[c] += q;
                }
            }
        }
        double count = (double) n * plane;
        double[] mean = new double[channels];
        double[] std = new double[channels];
        for (int c = 0; c < channels; c++) {
            mean[c] = sum[c] / count;
            std[c] = Math.sqrt(Math.max(0, sumSquares[c] / count - mean[c] * mean[c]));
            if (!(std[c] > 0)) {
                throw new InvalidInputException("channel " + c + " has the same value " + mean[c]
                        + " in every pixel, so it cannot be normalized (std 0)");
            }
        }
        return new Normalization(mean, std);
    }
}
