package io.purifier.dataset.imagefolder;

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
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageFolderDatasetTest {

    @TempDir
    Path tmp;

    private Path root;
    private Path data;
    private final ImageFolderDataset dataset = new ImageFolderDataset();
    private FakeRunContext ctx;

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createDirectories(tmp.resolve("root")).toRealPath();
        data = root.resolve("shapes");
        Fixtures.writeImageFolder(data.resolve("train"), List.of("square", "circle", "star"), 4, 6, 5, false);
        Fixtures.writeImageFolder(data.resolve("test"), List.of("square", "circle", "star"), 2, 6, 5, false);
        ctx = new FakeRunContext(1, tmp.resolve("artifacts"), new ConfiguredDataRoots(List.of(root)));
    }

    private DatasetSplits load(Map<String, Object> params) {
        return dataset.load(dataset.parameters().resolve(params), ctx);
    }

    @Test
    void loads_both_splits_with_sorted_class_names_and_computed_normalization() {
        DatasetSplits splits = load(Map.of("directory", "shapes", "cropPadding", 3, "horizontalFlip", true));

        assertEquals("image-folder:shapes", splits.datasetId());
        assertEquals(List.of("circle", "square", "star"), splits.train().classNames());
        assertArrayEquals(new long[] {12, 3, 5, 6}, splits.train().images().shape());
        assertArrayEquals(new int[] {0, 0, 1, 1, 2, 2}, splits.test().labels());
        assertEquals(Normalizations.compute(splits.train()), splits.normalization());
        assertEquals(new Augmentation(3, true), splits.augmentation());
        assertEquals(ContentHash.of(splits.train(), splits.test()), splits.contentHash());
        // Training image 0 is circle/img000.png, the fifth image the fixture wrote (square came first).
        assertEquals(Fixtures.pixel(4, 30 + 2 * 6 + 5) / 255f, splits.train().images().getFloat(0, 1, 2, 5), 0f);
    }

    @Test
    void defaults_to_no_augmentation() {
        assertEquals(new Augmentation(0, false), load(Map.of("directory", "shapes")).augmentation());
    }

    @Test
    void takes_class_balanced_subsets() {
        DatasetSplits splits = load(Map.of("directory", "shapes", "trainSize", 6, "testSize", 3));

        assertEquals(6, splits.train().size());
        assertArrayEquals(new int[] {0, 1, 2}, splits.test().labels());
    }

    @Test
    void refuses_a_test_split_with_other_classes() throws Exception {
        Fixtures.writePng(data.resolve("test").resolve("triangle").resolve("a.png"), 0, 6, 5, false);

        var e = assertThrows(InvalidInputException.class, () -> load(Map.of("directory", "shapes")));

        assertEquals("image folder " + data.resolve("test") + " has class folders [circle, square, star, triangle] but"
                + " [circle, square, star] were expected", e.getMessage());
    }

    @Test
    void refuses_test_images_of_another_size() throws Exception {
        Path testDir = data.resolve("test");
        for (String name : List.of("square", "circle", "star")) {
            Fixtures.writePng(testDir.resolve(name).resolve("img000.png"), 0, 8, 8, false);
            Files.delete(testDir.resolve(name).resolve("img001.png"));
        }

        var e = assertThrows(InvalidInputException.class, () -> load(Map.of("directory", "shapes")));

        assertEquals("images in " + data.resolve("train") + " are 6x5 pixels with 3 channels but images in " + testDir
                + " are 8x8 pixels with 3 channels", e.getMessage());
    }

    @Test
    void names_the_first_image_of_another_size() {
        Path odd = Fixtures.writePng(data.resolve("train").resolve("star").resolve("img002.png"), 0, 7, 5, false);

        var e = assertThrows(InvalidInputException.class, () -> load(Map.of("directory", "shapes")));

        assertTrue(e.getMessage().startsWith("image " + odd + " is 7x5 pixels with 3 channels but "), e.getMessage());
    }

    @Test
    void refuses_a_dataset_without_a_test_folder() throws Exception {
        Fixtures.writeImageFolder(root.resolve("trainonly").resolve("train"), List.of("a"), 1, 2, 2, true);

        var e = assertThrows(InvalidInputException.class, () -> load(Map.of("directory", "trainonly")));

        assertEquals("path '" + root.resolve("trainonly").resolve("test") + "' (" + root.resolve("trainonly").resolve("test")
                + ") does not exist inside the data roots [" + root + "]", e.getMessage());
    }

    @Test
    void refuses_a_folder_outside_the_data_roots() {
        var e = assertThrows(InvalidInputException.class, () -> load(Map.of("directory", tmp.toString())));

        assertTrue(e.getMessage().contains("is outside the data roots"), e.getMessage());
    }
}
