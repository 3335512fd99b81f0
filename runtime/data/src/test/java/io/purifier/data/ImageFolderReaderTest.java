package io.purifier.data;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.ImageSet;
import io.purifier.data.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ImageFolderReaderTest {

    @TempDir
    Path dir;

    @Test
    void reads_rgb_images_with_sorted_class_folders() throws Exception {
        Fixtures.writeImageFolder(dir, List.of("cat", "ant"), 2, 5, 4, false);
        Files.writeString(dir.resolve("ant").resolve("notes.txt"), "ignored");

        ImageSet set = ImageFolderReader.read(dir);

        assertEquals(List.of("ant", "cat"), set.classNames());
        assertArrayEquals(new long[] {4, 3, 4, 5}, set.images().shape());
        assertArrayEquals(new int[] {0, 0, 1, 1}, set.labels());
        // The fixture wrote "cat" first (images 0, 1) and "ant" second (images 2, 3); sorted, ant comes first.
        assertEquals(Fixtures.pixel(2, 20 + 3 * 5 + 4) / 255f, set.images().getFloat(0, 1, 3, 4), 0f);
        assertEquals(Fixtures.pixel(1, 40 + 2 * 5 + 1) / 255f, set.images().getFloat(3, 2, 2, 1), 0f);
    }

    @Test
    void reads_grayscale_images_as_one_channel_with_exact_values() {
        Fixtures.writeImageFolder(dir, List.of("a", "b"), 1, 3, 3, true);

        ImageSet set = ImageFolderReader.read(dir);

        assertArrayEquals(new long[] {2, 1, 3, 3}, set.images().shape());
        for (int p = 0; p < 9; p++) {
            assertEquals(Fixtures.pixel(1, p) / 255f, set.images().getFloat(1, 0, p / 3, p % 3), 0f);
        }
    }

    @Test
    void rejects_an_image_of_another_size_naming_it() {
        Fixtures.writeImageFolder(dir, List.of("a", "b"), 2, 4, 4, false);
        Path odd = Fixtures.writePng(dir.resolve("b").resolve("img001.png"), 0, 5, 4, false);

        var e = assertThrows(InvalidInputException.class, () -> ImageFolderReader.read(dir));

        assertEquals("image " + odd + " is 5x4 pixels with 3 channels but " + dir.resolve("a").resolve("img000.png")
                + " is 4x4 pixels with 3 channels; all images must have the same size and channels", e.getMessage());
    }

    @Test
    void rejects_mixed_grayscale_and_color_images() {
        Fixtures.writeImageFolder(dir, List.of("a"), 2, 4, 4, true);
        Path color = Fixtures.writePng(dir.resolve("a").resolve("img001.png"), 0, 4, 4, false);

        var e = assertThrows(InvalidInputException.class, () -> ImageFolderReader.read(dir));

        assertEquals("image " + color + " is 4x4 pixels with 3 channels but " + dir.resolve("a").resolve("img000.png")
                + " is 4x4 pixels with 1 channel; all images must have the same size and channels", e.getMessage());
    }

    @Test
    void rejects_a_file_that_is_not_an_image() {
        Fixtures.writeImageFolder(dir, List.of("a"), 1, 4, 4, true);
        Path fake = Fixtures.write(dir.resolve("a").resolve("img999.png"), new byte[] {1, 2, 3});

        var e = assertThrows(InvalidInputException.class, () -> ImageFolderReader.read(dir));

        assertEquals("image " + fake + " is not a readable PNG or JPEG image", e.getMessage());
    }

    @Test
    void rejects_an_empty_class_folder() throws Exception {
        Fixtures.writeImageFolder(dir, List.of("a"), 1, 4, 4, true);
        Files.createDirectories(dir.resolve("b"));

        var e = assertThrows(InvalidInputException.class, () -> ImageFolderReader.read(dir));

        assertEquals("class folder " + dir.resolve("b") + " contains no PNG or JPEG images", e.getMessage());
    }

    @Test
    void rejects_a_directory_without_class_folders() {
        var e = assertThrows(InvalidInputException.class, () -> ImageFolderReader.read(dir));

        assertEquals("image folder " + dir + " has no class sub-folders (expected one folder per class)", e.getMessage());
    }

    @Test
    void rejects_class_folders_other_than_expected() {
        Fixtures.writeImageFolder(dir, List.of("a", "c"), 1, 4, 4, true);

        var e = assertThrows(InvalidInputException.class, () -> ImageFolderReader.read(dir, List.of("a", "b")));

        assertEquals("image folder " + dir + " has class folders [a, c] but [a, b] were expected", e.getMessage());
    }

    @Test
    void refuses_an_image_that_links_outside_the_directory() throws Exception {
        Path data = dir.resolve("data");
        Fixtures.writeImageFolder(data, List.of("a"), 1, 4, 4, true);
        Path outside = Fixtures.writePng(dir.resolve("elsewhere").resolve("x.png"), 0, 4, 4, true);
        Path link = Files.createSymbolicLink(data.resolve("a").resolve("img001.png"), outside);

        var e = assertThrows(InvalidInputException.class, () -> ImageFolderReader.read(data));

        assertEquals("image " + link + " is a symbolic link to " + outside.toRealPath() + ", outside " + data.toRealPath(), e.getMessage());
    }
}
