package io.purifier.data;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.ImageSet;
import io.purifier.data.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CifarBinaryReaderTest {

    @TempDir
    Path dir;

    @Test
    void reads_train_batches_in_order_and_the_test_batch() {
        Fixtures.writeCifarBatch(dir.resolve("data_batch_1.bin"), new int[] {6, 9, 9});
        Fixtures.writeCifarBatch(dir.resolve("data_batch_2.bin"), new int[] {4, 1});
        Fixtures.writeCifarBatch(dir.resolve("test_batch.bin"), new int[] {3, 8});

        CifarBinaryReader.Splits splits = CifarBinaryReader.read(dir);

        ImageSet train = splits.train();
        assertArrayEquals(new long[] {5, 3, 32, 32}, train.images().shape());
        assertArrayEquals(new int[] {6, 9, 9, 4, 1}, train.labels());
        assertArrayEquals(new int[] {3, 8}, splits.test().labels());
        assertEquals(CifarBinaryReader.CIFAR10_CLASSES, train.classNames());
        // Record 1 of data_batch_2 is image 4 of the split; its green plane starts at byte 1024.
        assertEquals(Fixtures.pixel(1, 1024 + 32 * 5 + 7) / 255f, train.images().getFloat(4, 1, 5, 7), 0f);
        assertEquals(Fixtures.pixel(0, 2 * 1024 + 31 * 32 + 31) / 255f, splits.test().images().getFloat(0, 2, 31, 31), 0f);
    }

    @Test
    void takes_class_names_from_batches_meta_txt() throws Exception {
        Fixtures.writeCifarBatch(dir.resolve("data_batch_1.bin"), new int[] {0, 1});
        Fixtures.writeCifarBatch(dir.resolve("test_batch.bin"), new int[] {1});
        Files.writeString(dir.resolve("batches.meta.txt"), "left\nright\n\n");

        CifarBinaryReader.Splits splits = CifarBinaryReader.read(dir);

        assertEquals(List.of("left", "right"), splits.train().classNames());
    }

    @Test
    void rejects_a_directory_without_training_batches() {
        Fixtures.writeCifarBatch(dir.resolve("test_batch.bin"), new int[] {1});

        var e = assertThrows(InvalidInputException.class, () -> CifarBinaryReader.read(dir));

        assertEquals("CIFAR-10 directory " + dir + " has no data_batch_1.bin (expected the binary version: "
                + "data_batch_1.bin .. data_batch_5.bin, test_batch.bin)", e.getMessage());
    }

    @Test
    void rejects_a_missing_test_batch() {
        Fixtures.writeCifarBatch(dir.resolve("data_batch_1.bin"), new int[] {1});

        var e = assertThrows(InvalidInputException.class, () -> CifarBinaryReader.read(dir));

        assertEquals("CIFAR-10 batch file " + dir.resolve("test_batch.bin") + " does not exist", e.getMessage());
    }

    @Test
    void rejects_a_truncated_batch() throws Exception {
        Path batch = Fixtures.writeCifarBatch(dir.resolve("data_batch_1.bin"), new int[] {1, 2});
        Fixtures.write(batch, Arrays.copyOf(Files.readAllBytes(batch), 2 * 3073 - 100));
        Fixtures.writeCifarBatch(dir.resolve("test_batch.bin"), new int[] {1});

        var e = assertThrows(InvalidInputException.class, () -> CifarBinaryReader.read(dir));

        assertEquals("CIFAR-10 batch file " + batch + " is truncated or not a CIFAR-10 binary batch: 6046 bytes is not a whole"
                + " number of 3073-byte records (1 label byte + 3072 pixel bytes)", e.getMessage());
    }

    @Test
    void rejects_a_label_outside_the_class_list() {
        Path batch = Fixtures.writeCifarBatch(dir.resolve("data_batch_1.bin"), new int[] {1, 10});
        Fixtures.writeCifarBatch(dir.resolve("test_batch.bin"), new int[] {1});

        var e = assertThrows(InvalidInputException.class, () -> CifarBinaryReader.read(dir));

        assertEquals("CIFAR-10 batch file " + batch + ": record 1 has label 10 but there are only 10 classes", e.getMessage());
    }

    @Test
    void rejects_a_missing_directory() {
        Path missing = dir.resolve("cifar-10-batches-bin");

        var e = assertThrows(InvalidInputException.class, () -> CifarBinaryReader.read(missing));

        assertEquals("CIFAR-10 directory " + missing + " does not exist", e.getMessage());
    }

    @Test
    void refuses_a_batch_that_links_outside_the_directory() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Path outside = Fixtures.writeCifarBatch(dir.resolve("elsewhere").resolve("secret.bin"), new int[] {1});
        Path link = Files.createSymbolicLink(data.resolve("data_batch_1.bin"), outside);
        Fixtures.writeCifarBatch(data.resolve("test_batch.bin"), new int[] {1});

        var e = assertThrows(InvalidInputException.class, () -> CifarBinaryReader.read(data));

        assertEquals("CIFAR-10 batch file " + link + " is a symbolic link to " + outside.toRealPath() + ", outside "
                + data.toRealPath(), e.getMessage());
    }
}
