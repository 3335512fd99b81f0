package io.purifier.data;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.ImageSet;
import io.purifier.api.data.Normalization;
import io.purifier.data.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class NormalizationsTest {

    private static final Path REAL_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

    @Test
    void computes_per_channel_mean_and_population_std() {
        // Channel 0 holds 0 and 1 (mean 0.5, std 0.5); channel 1 holds 0.2 and 0.6 (mean 0.4, std 0.2).
        var images = Nd4j.create(new float[] {0f, 0.2f, 1f, 0.6f}, new long[] {2, 2, 1, 1}, 'c');

        Normalization n = Normalizations.compute(images);

        assertArrayEquals(new double[] {0.5, 0.4}, n.mean(), 1e-7);
        assertArrayEquals(new double[] {0.5, 0.2}, n.std(), 1e-7);
    }

    @Test
    void computes_the_statistics_of_the_fashion_fixture(@TempDir Path dir) {
        Path data = Fixtures.copyFashionMnistTiny(dir);
        ImageSet set = IdxReader.read(data.resolve("train-images-idx3-ubyte.gz"), data.resolve("train-labels-idx1-ubyte.gz"), null);

        Normalization n = Normalizations.compute(set);

        // Computed independently with numpy (float64) over the same 235,200 pixels.
        assertEquals(0.29147692410297454, n.mean()[0], 1e-6);
        assertEquals(0.3552093125139898, n.std()[0], 1e-6);
    }

    @Test
    void the_fashion_mnist_constants_match_the_real_training_set() {
        assumeTrue(Files.isReadable(REAL_FASHION_MNIST.resolve("train-images-idx3-ubyte.gz")),
                "the Debian package dataset-fashion-mnist is not installed");

        Normalization n = Normalizations.compute(IdxReader.readImages(REAL_FASHION_MNIST.resolve("train-images-idx3-ubyte.gz")));

        assertEquals(Normalizations.fashionMnist().mean()[0], n.mean()[0], 5e-5);
        assertEquals(Normalizations.fashionMnist().std()[0], n.std()[0], 5e-5);
    }

    @Test
    void the_cifar10_constants_are_backdoorbenchs() {
        assertArrayEquals(new double[] {0.4914, 0.4822, 0.4465}, Normalizations.cifar10().mean());
        assertArrayEquals(new double[] {0.247, 0.243, 0.261}, Normalizations.cifar10().std());
    }

    @Test
    void refuses_a_constant_channel() {
        var images = Nd4j.create(new float[] {0.3f, 0.1f, 0.3f, 0.9f}, new long[] {2, 2, 1, 1}, 'c');

        var e = assertThrows(InvalidInputException.class, () -> Normalizations.compute(images));

        assertEquals("channel 0 has the same value " + n03() + " in every pixel, so it cannot be normalized (std 0)", e.getMessage());
    }

    private static double n03() {
        return (double) 0.3f;
    }
}
