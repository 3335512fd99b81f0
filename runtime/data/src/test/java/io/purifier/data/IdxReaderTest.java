package io.purifier.data;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.ImageSet;
import io.purifier.data.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

class IdxReaderTest {

    @TempDir
    Path dir;

    @Test
    void reads_the_fashion_mnist_fixture_with_its_known_values() {
        Path data = Fixtures.copyFashionMnistTiny(dir.resolve("fm"));
        ImageSet train = IdxReader.read(data.resolve("train-images-idx3-ubyte.gz"), data.resolve("train-labels-idx1-ubyte.gz"), null);

        assertArrayEquals(new long[] {300, 1, 28, 28}, train.images().shape());
        assertEquals(DataType.FLOAT, train.images().dataType());
        assertEquals(IdxReader.numberedClassNames(10), train.classNames());
        int[] histogram = new int[10];
        for (int label : train.labels()) {
            histogram[label]++;
        }
        // Class counts of the first 300 training images, counted independently with Python.
        assertArrayEquals(new int[] {32, 33, 31, 29, 29, 31, 33, 30, 27, 25}, histogram);
        // Sum of the first image's bytes is 76247; image 5, pixels 100..106 are 169 174 175 175 177 183 188.
        assertEquals(76247 / 255.0, train.images().get(point(0)).sumNumber().doubleValue(), 1e-3);
        float[] row = train.images().get(point(5)).reshape(784).get(interval(100, 107)).toFloatVector();
        float[] expected = {169, 174, 175, 175, 177, 183, 188};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i] / 255f, row[i], 1e-7f);
        }
    }

    @Test
    void reads_raw_and_gzipped_files_alike_whatever_their_names() {
        Path raw = Fixtures.writeIdxImages(dir.resolve("images.gz"), 3, 4, 5, false);
        Path gz = Fixtures.writeIdxImages(dir.resolve("images.raw"), 3, 4, 5, true);

        INDArray fromRaw = IdxReader.readImages(raw);
        INDArray fromGz = IdxReader.readImages(gz);

        assertArrayEquals(new long[] {3, 1, 4, 5}, fromRaw.shape());
        assertEquals(fromRaw, fromGz);
        assertEquals(Fixtures.pixel(2, 7) / 255f, fromRaw.getFloat(2, 0, 1, 2), 0f);
    }

    @Test
    void reads_labels_as_unsigned_bytes() {
        Path labels = Fixtures.writeIdxLabels(dir.resolve("labels"), new int[] {0, 9, 200, 255}, true);

        assertArrayEquals(new int[] {0, 9, 200, 255}, IdxReader.readLabels(labels));
    }

    @Test
    void uses_given_class_names() {
        Path images = Fixtures.writeIdxImages(dir.resolve("i"), 2, 2, 2, true);
        Path labels = Fixtures.writeIdxLabels(dir.resolve("l"), new int[] {1, 0}, true);

        ImageSet set = IdxReader.read(images, labels, List.of("cat", "dog", "bird"));

        assertEquals(List.of("cat", "dog", "bird"), set.classNames());
        assertArrayEquals(new int[] {1, 0}, set.labels());
    }

    @Test
    void rejects_a_missing_file_naming_it() {
        Path missing = dir.resolve("nope-images-idx3-ubyte.gz");

        var e = assertThrows(InvalidInputException.class, () -> IdxReader.readImages(missing));

        assertEquals("IDX image file " + missing + " does not exist", e.getMessage());
    }

    @Test
    void rejects_a_label_file_given_as_images() {
        Path labels = Fixtures.writeIdxLabels(dir.resolve("labels.gz"), new int[] {1, 2}, true);

        var e = assertThrows(InvalidInputException.class, () -> IdxReader.readImages(labels));

        assertEquals("IDX image file " + labels + " has magic number 0x00000801, expected 0x00000803 (3-D unsigned bytes);"
                + " it looks like a label file", e.getMessage());
    }

    @Test
    void rejects_a_file_with_a_foreign_magic_number() {
        Path png = Fixtures.write(dir.resolve("labels"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 0});

        var e = assertThrows(InvalidInputException.class, () -> IdxReader.readLabels(png));

        assertEquals("IDX label file " + png + " has magic number 0x89504E47, expected 0x00000801 (1-D unsigned bytes)", e.getMessage());
    }

    @Test
    void rejects_truncated_pixel_data() {
        byte[] body = Fixtures.pixels(3, 16);
        Path file = Fixtures.writeIdx(dir.resolve("short"), 0x803, new int[] {3, 4, 4}, Arrays.copyOf(body, 40), true);

        var e = assertThrows(InvalidInputException.class, () -> IdxReader.readImages(file));

        assertEquals("IDX file " + file + " is truncated: the header promises 48 pixel bytes but only 40 follow", e.getMessage());
    }

    @Test
    void rejects_a_cut_off_gzip_stream() throws Exception {
        Path whole = Fixtures.writeIdxImages(dir.resolve("whole.gz"), 50, 8, 8, true);
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Fixtures.write(dir.resolve("cut.gz"), Arrays.copyOf(bytes, bytes.length / 2));

        var e = assertThrows(InvalidInputException.class, () -> IdxReader.readImages(cut));

        assertEquals("IDX image file " + cut + " is truncated: its gzip stream ends early", e.getMessage());
    }

    @Test
    void rejects_a_header_cut_short() {
        Path file = Fixtures.write(dir.resolve("header"), new byte[] {0, 0, 8, 3, 0, 0});

        var e = assertThrows(InvalidInputException.class, () -> IdxReader.readImages(file));

        assertEquals("IDX file " + file + " is truncated: it ends inside the header", e.getMessage());
    }

    @Test
    void rejects_data_beyond_the_declared_size() {
        Path file = Fixtures.writeIdx(dir.resolve("long"), 0x801, new int[] {2}, new byte[] {1, 2, 3}, false);

        var e = assertThrows(InvalidInputException.class, () -> IdxReader.readLabels(file));

        assertEquals("IDX file " + file + " has data after the 2 label bytes its header declares", e.getMessage());
    }

    @Test
    void rejects_image_and_label_counts_that_differ() {
        Path images = Fixtures.writeIdxImages(dir.resolve("i.gz"), 3, 2, 2, true);
        Path labels = Fixtures.writeIdxLabels(dir.resolve("l.gz"), new int[] {1, 0}, true);

        var e = assertThrows(InvalidInputException.class, () -> IdxReader.read(images, labels, null));

        assertEquals("IDX image file " + images + " holds 3 images but label file " + labels + " holds 2 labels", e.getMessage());
    }

    @Test
    void rejects_a_label_without_a_class_name() {
        Path images = Fixtures.writeIdxImages(dir.resolve("i.gz"), 2, 2, 2, true);
        Path labels = Fixtures.writeIdxLabels(dir.resolve("l.gz"), new int[] {1, 3}, true);

        var e = assertThrows(InvalidInputException.class, () -> IdxReader.read(images, labels, List.of("a", "b")));

        assertTrue(e.getMessage().contains("label 3 of image 1 has no class name (2 classes given)"), e.getMessage());
    }
}
