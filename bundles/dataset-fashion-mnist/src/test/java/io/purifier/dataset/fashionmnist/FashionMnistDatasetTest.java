package io.purifier.dataset.fashionmnist;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.Augmentation;
import io.purifier.api.data.DatasetSplits;
import io.purifier.api.param.InvalidParametersException;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class FashionMnistDatasetTest {

    @TempDir
    Path root;

    private final FashionMnistDataset dataset = new FashionMnistDataset();
    private FakeRunContext ctx;
    private Path fixture;

    @BeforeEach
    void setUp() {
        fixture = Fixtures.copyFashionMnistTiny(root.resolve("fashion-mnist-tiny"));
        ctx = new FakeRunContext(42, root.resolve("artifacts"), new ConfiguredDataRoots(List.of(root)));
    }

    private DatasetSplits load(Map<String, Object> raw) {
        Map<String, Object> params = new HashMap<>(raw);
        params.putIfAbsent("directory", fixture.toString());
        return dataset.load(dataset.parameters().resolve(params), ctx);
    }

    private static int[] histogram(int[] labels) {
        int[] counts = new int[10];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    @Test
    void describes_itself() {
        assertEquals("fashion-mnist", dataset.id());
        assertEquals(List.of("directory", "trainSize", "testSize", "subsetSeed"),
                dataset.parameters().specs().stream().map(s -> s.name()).toList());
        assertEquals("/usr/share/datasets/fashion-mnist", dataset.parameters().defaults().text("directory"));
    }

    @Test
    void loads_the_fixture_with_names_hash_normalization_and_augmentation() throws Exception {
        DatasetSplits splits = load(Map.of());

        assertEquals("fashion-mnist", splits.datasetId());
        assertArrayEquals(new long[] {300, 1, 28, 28}, splits.train().images().shape());
        assertArrayEquals(new long[] {100, 1, 28, 28}, splits.test().images().shape());
        assertEquals("T-shirt/top", splits.train().classNames().get(0));
        assertEquals("Ankle boot", splits.train().classNames().get(9));
        assertEquals(ContentHash.of(splits.train(), splits.test()), splits.contentHash());
        assertEquals(Normalizations.fashionMnist(), splits.normalization());
        assertEquals(new Augmentation(2, true), splits.augmentation());
        assertTrue(ctx.lines().contains("fashion-mnist: 300 of 300 training and 100 of 100 test images from " + fixture.toRealPath()),
                ctx.lines().toString());
    }

    @Test
    void takes_class_balanced_subsets_deterministically() {
        DatasetSplits a = load(Map.of("trainSize", 100, "testSize", 50));
        DatasetSplits b = load(Map.of("trainSize", 100, "testSize", 50));
        DatasetSplits other = load(Map.of("trainSize", 100, "testSize", 50, "subsetSeed", 1));

        assertArrayEquals(new int[] {10, 10, 10, 10, 10, 10, 10, 10, 10, 10}, histogram(a.train().labels()));
        assertArrayEquals(new int[] {5, 5, 5, 5, 5, 5, 5, 5, 5, 5}, histogram(a.test().labels()));
        assertEquals(a.contentHash(), b.contentHash());
        assertNotEquals(a.contentHash(), other.contentHash());
        assertNotEquals(a.contentHash(), load(Map.of()).contentHash());
    }

    @Test
    void a_subset_larger_than_a_class_allows_is_refused() {
        // The fixture's test split has only 6 "Ankle boot" images.
        var e = assertThrows(InvalidInputException.class, () -> load(Map.of("testSize", 70)));

        assertEquals("testSize: class 9 has only 6 images but a class-balanced subset of 70 images needs 7 per class", e.getMessage());
    }

    @Test
    void a_folder_without_the_files_is_named_with_what_is_missing() throws Exception {
        Files.delete(fixture.resolve("t10k-labels-idx1-ubyte.gz"));

        var e = assertThrows(InvalidInputException.class, () -> load(Map.of()));

        assertEquals("Fashion-MNIST not found at " + fixture.toRealPath() + ": missing t10k-labels-idx1-ubyte.gz", e.getMessage());
    }

    @Test
    void a_folder_outside_the_data_roots_is_refused() {
        var e = assertThrows(InvalidInputException.class, () -> load(Map.of("directory", "/etc")));

        assertTrue(e.getMessage().startsWith("path '/etc' (/etc) is outside the data roots"), e.getMessage());
    }

    @Test
    void a_corrupt_file_fails_with_the_readers_message() throws Exception {
        Files.write(fixture.resolve("train-images-idx3-ubyte.gz"), new byte[] {0, 0, 8, 1, 0, 0, 0, 0});

        var e = assertThrows(InvalidInputException.class, () -> load(Map.of()));

        assertTrue(e.getMessage().contains("has magic number 0x00000801, expected 0x00000803"), e.getMessage());
    }

    @Test
    void a_size_out_of_range_is_refused_by_the_descriptor() {
        var e = assertThrows(InvalidParametersException.class, () -> load(Map.of("trainSize", 60_001)));

        assertEquals("trainSize", e.parameter());
    }

    @Test
    void reads_the_installed_dataset_when_present() {
        assumeTrue(Files.isDirectory(Path.of(FashionMnistDataset.SYSTEM_DIRECTORY)), "dataset-fashion-mnist is not installed");

        DatasetSplits splits = dataset.load(dataset.parameters().resolve(Map.of("trainSize", 1000, "testSize", 500)), ctx);

        assertEquals(1000, splits.train().size());
        assertArrayEquals(new int[] {50, 50, 50, 50, 50, 50, 50, 50, 50, 50}, histogram(splits.test().labels()));
    }
}
