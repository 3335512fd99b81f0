package io.purifier.dataset.idx;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.Augmentation;
import io.purifier.api.data.DatasetSplits;
import io.purifier.data.ConfiguredDataRoots;
import io.purifier.data.ContentHash;
import io.purifier.data.testing.FakeRunContext;
import io.purifier.data.testing.Fixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxDatasetTest {

    @TempDir
    Path tmp;

    private Path root;
    private final IdxDataset dataset = new IdxDataset();
    private FakeRunContext ctx;

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createDirectories(tmp.resolve("root")).toRealPath();
        ctx = new FakeRunContext(7, tmp.resolve("artifacts"), new ConfiguredDataRoots(List.of(root)));
    }

    private DatasetSplits load(Map<String, Object> params) {
        return dataset.load(dataset.parameters().resolve(params), ctx);
    }

    /** A raw (not gzipped) dataset of 4x4 images: 6 training images of labels 0..2 and 3 test images. */
    private Path synthetic(String name) {
        Path dir = root.resolve(name);
        Fixtures.writeIdxImages(dir.resolve("tr-img"), 6, 4, 4, false);
        Fixtures.writeIdxLabels(dir.resolve("tr-lbl"), new int[] {0, 1, 2, 2, 1, 0}, false);
        Fixtures.writeIdxImages(dir.resolve("te-img"), 3, 4, 4, false);
        Fixtures.writeIdxLabels(dir.resolve("te-lbl"), new int[] {2, 0, 1}, false);
        return dir;
    }

    private Map<String, Object> syntheticParams(String dir) {
        Map<String, Object> params = new HashMap<>();
        params.put("directory", dir);
        params.put("trainImages", "tr-img");
        params.put("trainLabels", "tr-lbl");
        params.put("testImages", "te-img");
        params.put("testLabels", "te-lbl");
        return params;
    }

    @Test
    void loads_gzipped_mnist_named_files_with_numbered_classes() {
        Fixtures.copyFashionMnistTiny(root.resolve("fmnist"));

        DatasetSplits splits = load(Map.of("directory", "fmnist"));

        assertEquals("idx:fmnist", splits.datasetId());
        assertEquals(300, splits.train().size());
        assertEquals(100, splits.test().size());
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), splits.train().classNames());
        assertEquals(ContentHash.of(splits.train(), splits.test()), splits.contentHash());
        // Mean and std of the 300 fixture images, computed independently with numpy.
        assertEquals(0.29147692410297454, splits.normalization().mean()[0], 1e-6);
        assertEquals(0.3552093125139898, splits.normalization().std()[0], 1e-6);
        assertEquals(new Augmentation(2, false), splits.augmentation());
    }

    @Test
    void loads_raw_files_with_custom_names_classes_and_augmentation() {
        synthetic("tiny");
        Map<String, Object> params = syntheticParams("tiny");
        params.put("classNames", " cat, dog ,bird");
        params.put("cropPadding", 0);
        params.put("horizontalFlip", true);

        DatasetSplits splits = load(params);

        assertEquals(List.of("cat", "dog", "bird"), splits.test().classNames());
        assertArrayEquals(new int[] {2, 0, 1}, splits.test().labels());
        assertArrayEquals(new long[] {6, 1, 4, 4}, splits.train().images().shape());
        assertEquals(Fixtures.pixel(5, 15) / 255f, splits.train().images().getFloat(5, 0, 3, 3), 0f);
        assertEquals(new Augmentation(0, true), splits.augmentation());
    }

    @Test
    void takes_balanced_subsets() {
        synthetic("tiny");
        Map<String, Object> params = syntheticParams("tiny");
        params.put("trainSize", 3);

        DatasetSplits splits = load(params);

        int[] labels = splits.train().labels();
        Arrays.sort(labels);
        assertArrayEquals(new int[] {0, 1, 2}, labels);
        assertEquals(3, splits.test().size());
    }

    @Test
    void refuses_too_few_class_names() {
        synthetic("tiny");
        Map<String, Object> params = syntheticParams("tiny");
        params.put("classNames", "cat,dog");

        var e = assertThrows(InvalidInputException.class, () -> load(params));

        assertEquals("classNames lists 2 classes but the labels go up to 2, so 3 names are needed", e.getMessage());
    }

    @Test
    void refuses_duplicate_class_names() {
        synthetic("tiny");
        Map<String, Object> params = syntheticParams("tiny");
        params.put("classNames", "cat,dog,cat");

        var e = assertThrows(InvalidInputException.class, () -> load(params));

        assertEquals("classNames names a class twice: 'cat,dog,cat'", e.getMessage());
    }

    @Test
    void names_a_missing_file_and_what_was_tried() {
        Path dir = synthetic("tiny");
        Map<String, Object> params = syntheticParams("tiny");
        params.put("testLabels", "labels.gz");

        var e = assertThrows(InvalidInputException.class, () -> load(params));

        assertEquals("testLabels: no file labels.gz or labels in " + dir, e.getMessage());
    }

    @Test
    void refuses_file_names_with_a_path() {
        synthetic("tiny");
        Map<String, Object> params = syntheticParams("tiny");
        params.put("trainImages", "../tiny/tr-img");

        var e = assertThrows(InvalidInputException.class, () -> load(params));

        assertEquals("trainImages must be a file name inside the dataset directory, got '../tiny/tr-img'", e.getMessage());
    }

    @Test
    void refuses_a_file_that_links_outside_the_data_roots() throws Exception {
        Path dir = synthetic("tiny");
        Path secret = Fixtures.writeIdxLabels(Files.createDirectories(tmp.resolve("secret")).resolve("labels"), new int[] {0, 1, 2, 0, 1, 2}, false);
        Files.delete(dir.resolve("tr-lbl"));
        Files.createSymbolicLink(dir.resolve("tr-lbl"), secret);

        var e = assertThrows(InvalidInputException.class, () -> load(syntheticParams("tiny")));

        assertTrue(e.getMessage().contains("(through a symbolic link), which is outside the data roots"), e.getMessage());
    }

    @Test
    void refuses_a_directory_outside_the_data_roots() {
        var e = assertThrows(InvalidInputException.class, () -> load(Map.of("directory", tmp.toString())));

        assertTrue(e.getMessage().contains("is outside the data roots"), e.getMessage());
    }

    @Test
    void refuses_a_missing_directory_parameter() {
        var e = assertThrows(InvalidInputException.class, () -> load(Map.of()));

        assertEquals("no path given; expected a path inside one of the data roots [" + root + "]", e.getMessage());
    }

    @Test
    void refuses_counts_that_differ() {
        Path dir = synthetic("tiny");
        Fixtures.writeIdxLabels(dir.resolve("te-lbl"), new int[] {2, 0}, false);

        var e = assertThrows(InvalidInputException.class, () -> load(syntheticParams("tiny")));

        assertEquals("IDX image file " + dir.resolve("te-img") + " holds 3 images but label file " + dir.resolve("te-lbl")
                + " holds 2 labels", e.getMessage());
    }

    @Test
    void refuses_test_images_of_another_size() {
        Path dir = synthetic("tiny");
        Fixtures.writeIdxImages(dir.resolve("te-img"), 3, 5, 5, false);

        var e = assertThrows(InvalidInputException.class, () -> load(syntheticParams("tiny")));

        assertEquals("training images (" + dir.resolve("tr-img") + ") are 4x4 but test images (" + dir.resolve("te-img")
                + ") are 5x5", e.getMessage());
    }
}
