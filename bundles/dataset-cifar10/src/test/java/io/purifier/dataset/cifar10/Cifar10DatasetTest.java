package io.purifier.dataset.cifar10;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.Augmentation;
import io.purifier.api.data.DatasetSplits;
import io.purifier.data.ConfiguredDataRoots;
import io.purifier.data.ContentHash;
import io.purifier.data.Normalizations;
import io.purifier.data.testing.FakeRunContext;
import io.purifier.data.testing.Fixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Cifar10DatasetTest {

    @TempDir
    Path tmp;

    private Path root;
    private Path cifar;
    private final Cifar10Dataset dataset = new Cifar10Dataset();
    private FakeRunContext ctx;

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createDirectories(tmp.resolve("root")).toRealPath();
        cifar = root.resolve("cifar-10-batches-bin");
        // Two training batches of 20 images (2 per class) and a test batch of 10 (1 per class).
        Fixtures.writeCifarBatch(cifar.resolve("data_batch_1.bin"), IntStream.range(0, 20).map(i -> i % 10).toArray());
        Fixtures.writeCifarBatch(cifar.resolve("data_batch_2.bin"), IntStream.range(0, 20).map(i -> 9 - i % 10).toArray());
        Fixtures.writeCifarBatch(cifar.resolve("test_batch.bin"), IntStream.range(0, 10).toArray());
        ctx = new FakeRunContext(3, tmp.resolve("artifacts"), new ConfiguredDataRoots(List.of(root)));
    }

    private DatasetSplits load(Map<String, Object> params) {
        return dataset.load(dataset.parameters().resolve(params), ctx);
    }

    @Test
    void loads_the_batches_with_backdoorbench_normalization_and_augmentation() {
        DatasetSplits splits = load(Map.of("directory", "cifar-10-batches-bin"));

        assertEquals("cifar10:cifar-10-batches-bin", splits.datasetId());
        assertArrayEquals(new long[] {40, 3, 32, 32}, splits.train().images().shape());
        assertArrayEquals(new long[] {10, 3, 32, 32}, splits.test().images().shape());
        assertEquals(9, splits.train().label(20));
        assertEquals("truck", splits.train().classNames().get(9));
        assertEquals(Fixtures.pixel(0, 1024) / 255f, splits.train().images().getFloat(20, 1, 0, 0), 0f);
        assertEquals(Normalizations.cifar10(), splits.normalization());
        assertEquals(new Augmentation(4, true), splits.augmentation());
        assertEquals(ContentHash.of(splits.train(), splits.test()), splits.contentHash());
    }

    @Test
    void takes_class_balanced_subsets() {
        DatasetSplits splits = load(Map.of("directory", "cifar-10-batches-bin", "trainSize", 10));

        int[] labels = splits.train().labels();
        Arrays.sort(labels);
        assertArrayEquals(IntStream.range(0, 10).toArray(), labels);
        assertEquals(10, splits.test().size());
    }

    @Test
    void other_class_names_get_a_computed_normalization() throws Exception {
        Files.writeString(cifar.resolve("batches.meta.txt"), "c0\nc1\nc2\nc3\nc4\nc5\nc6\nc7\nc8\nc9\n");

        DatasetSplits splits = load(Map.of("directory", "cifar-10-batches-bin"));

        assertEquals("c9", splits.test().classNames().get(9));
        assertEquals(Normalizations.compute(splits.train()), splits.normalization());
    }

    @Test
    void names_a_truncated_batch() throws Exception {
        Path batch = cifar.resolve("data_batch_2.bin");
        Files.write(batch, Arrays.copyOf(Files.readAllBytes(batch), 3073 * 3 + 5));

        var e = assertThrows(InvalidInputException.class, () -> load(Map.of("directory", "cifar-10-batches-bin")));

        assertTrue(e.getMessage().startsWith("CIFAR-10 batch file " + batch + " is truncated"), e.getMessage());
    }

    @Test
    void refuses_a_folder_outside_the_data_roots() {
        var e = assertThrows(InvalidInputException.class, () -> load(Map.of("directory", tmp.toString())));

        assertTrue(e.getMessage().contains("is outside the data roots"), e.getMessage());
    }

    @Test
    void refuses_a_folder_without_batches() throws Exception {
        Files.createDirectories(root.resolve("empty"));

        var e = assertThrows(InvalidInputException.class, () -> load(Map.of("directory", "empty")));

        assertTrue(e.getMessage().startsWith("CIFAR-10 directory " + root.resolve("empty") + " has no data_batch_1.bin"), e.getMessage());
    }
}
