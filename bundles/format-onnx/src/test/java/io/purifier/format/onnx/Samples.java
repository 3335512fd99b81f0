package io.purifier.format.onnx;

import io.purifier.data.IdxReader;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** Test inputs: the first Fashion-MNIST test images (Debian's dataset-fashion-mnist), the fixtures' files. */
final class Samples {

    /** Fashion-MNIST's mean, as the fixtures were trained with. */
    static final double MEAN = 0.2860;
    /** Fashion-MNIST's std. */
    static final double STD = 0.3530;

    private static final Path DATA = Path.of("/usr/share/datasets/fashion-mnist");
    private static INDArray images;
    private static int[] labels;

    private Samples() {
    }

    /** The first {@code n} test images {@code [n, 1, 28, 28]} in [0, 1]. */
    static synchronized INDArray images(int n) {
        if (images == null) {
            images = IdxReader.readImages(DATA.resolve("t10k-images-idx3-ubyte.gz"))
                    .get(NDArrayIndex.interval(0, 1000)).dup('c');
            labels = IdxReader.readLabels(DATA.resolve("t10k-labels-idx1-ubyte.gz"));
        }
        return images.get(NDArrayIndex.interval(0, n)).dup('c');
    }

    /** The labels of the first {@code n} test images. */
    static int[] labels(int n) {
        images(1);
        return java.util.Arrays.copyOf(labels, n);
    }

    /** {@code (x - mean) / std}: what the fixtures' graphs take. */
    static INDArray normalized(INDArray pixels) {
        return pixels.sub(MEAN).div(STD);
    }

    /** BadNets' default trigger: a 3x3 white patch in the bottom-right corner. */
    static INDArray patched(INDArray pixels) {
        INDArray out = pixels.dup('c');
        long h = out.size(2);
        long w = out.size(3);
        out.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(h - 3, h), NDArrayIndex.interval(w - 3, w))
                .assign(1.0);
        return out;
    }

    /** A test resource as a file. */
    static Path resource(String name) {
        try {
            return Path.of(Samples.class.getResource("/onnx/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new AssertionError("missing test resource onnx/" + name, e);
        }
    }
}
