package io.purifier.data;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.ImageSet;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the binary version of CIFAR-10 (Krizhevsky, "Learning Multiple Layers of Features from Tiny Images",
 * 2009; {@code cifar-10-binary.tar.gz}): files {@code data_batch_1.bin} .. {@code data_batch_5.bin} and
 * {@code test_batch.bin}, each a sequence of 3073-byte records (one label byte, then 1024 red, 1024 green and
 * 1024 blue bytes of a 32x32 image, rows first). Class names come from {@code batches.meta.txt} (one per line)
 * when it is present, otherwise the standard CIFAR-10 names.
 *
 * <p>The training split is every {@code data_batch_<k>.bin} present for k = 1, 2, ... up to the first missing
 * one (so a directory with only {@code data_batch_1.bin} is a valid, smaller dataset). Files that are symbolic
 * links leading outside the directory are refused.</p>
 */
public final class CifarBinaryReader {

    /** Image side in pixels. */
    public static final int SIDE = 32;
    /** Bytes per image: three 32x32 planes. */
    public static final int IMAGE_BYTES = 3 * SIDE * SIDE;
    /** Bytes per record: the label byte plus the image. */
    public static final int RECORD_BYTES = 1 + IMAGE_BYTES;
    /** The standard CIFAR-10 class names, index = label. */
    public static final List<String> CIFAR10_CLASSES = List.of(
            "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");
    /** Name of the file with the class names. */
    public static final String META_FILE = "batches.meta.txt";
    /** Name of the test batch. */
    public static final String TEST_FILE = "test_batch.bin";

    private CifarBinaryReader() {
    }

    /** The training and test splits of a CIFAR-10 binary directory. */
    public record Splits(ImageSet train, ImageSet test) {
    }

    /**
     * Reads both splits of a directory holding the binary batches.
     *
     * @throws InvalidInputException naming the directory or file and the problem
     */
    public static Splits read(Path directory) {
        DataFiles.requireDirectory(directory, "CIFAR-10 directory");
        List<String> classNames = classNames(directory);
        List<Path> trainFiles = trainBatches(directory);
        for (Path file : trainFiles) {
            DataFiles.requireInside(file, directory, "CIFAR-10 batch file");
        }
        Path testFile = directory.resolve(TEST_FILE);
        if (Files.exists(testFile)) {
            DataFiles.requireInside(testFile, directory, "CIFAR-10 batch file");
        }
        return new Splits(readBatches(trainFiles, classNames), readBatches(List.of(directory.resolve(TEST_FILE)), classNames));
    }

    /**
     * The class names of a directory: the non-blank lines of {@code batches.meta.txt}, or the CIFAR-10 names when
     * that file is absent.
     */
    public static List<String> classNames(Path directory) {
        Path meta = directory.resolve(META_FILE);
        if (!Files.exists(meta)) {
            return CIFAR10_CLASSES;
        }
        DataFiles.requireReadableFile(meta, "CIFAR-10 class-name file");
        DataFiles.requireInside(meta, directory, "CIFAR-10 class-name file");
        try {
            List<String> names = new ArrayList<>();
            for (String line : Files.readAllLines(meta, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    names.add(line.strip());
                }
            }
            if (names.isEmpty() || names.size() > 256) {
                throw new InvalidInputException("CIFAR-10 class-name file " + meta + " lists " + names.size()
                        + " class names, expected 1 to 256 (one per line)");
            }
            return List.copyOf(names);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read CIFAR-10 class-name file " + meta + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads one or more batch files into one image set {@code [N, 3, 32, 32]}.
     *
     * @throws InvalidInputException when a file is missing, its size is not a whole number of records, or a
     *                               label has no class name
     */
    public static ImageSet readBatches(List<Path> files, List<String> classNames) {
        long total = 0;
        for (Path file : files) {
            DataFiles.requireReadableFile(file, "CIFAR-10 batch file");
            total += recordCount(file);
        }
        if (total * IMAGE_BYTES > Integer.MAX_VALUE - 16) {
            throw new InvalidInputException("CIFAR-10 batches " + files + " hold " + total + " images, too many to load at once");
        }
        int n = (int) total;
        byte[] pixels = new byte[n * IMAGE_BYTES];
        int[] labels = new int[n];
        int next = 0;
        for (Path file : files) {
            byte[] bytes = readAll(file);
            for (int offset = 0; offset < bytes.length; offset += RECORD_BYTES, next++) {
                int label = bytes[offset] & 0xFF;
                if (label >= classNames.size()) {
                    throw new InvalidInputException("CIFAR-10 batch file " + file + ": record " + (offset / RECORD_BYTES)
                            + " has label " + label + " but there are only " + classNames.size() + " classes");
                }
                labels[next] = label;
                System.arraycopy(bytes, offset + 1, pixels, next * IMAGE_BYTES, IMAGE_BYTES);
            }
        }
        INDArray images = PixelTensors.fromUnsignedBytes(pixels, n, 3, SIDE, SIDE);
        return new ImageSet(images, labels, classNames);
    }

    private static List<Path> trainBatches(Path directory) {
        List<Path> files = new ArrayList<>();
        for (int k = 1; Files.exists(directory.resolve("data_batch_" + k + ".bin")); k++) {
            files.add(directory.resolve("data_batch_" + k + ".bin"));
        }
        if (files.isEmpty()) {
            throw new InvalidInputException("CIFAR-10 directory " + directory
                    + " has no data_batch_1.bin (expected the binary version: data_batch_1.bin .. data_batch_5.bin, test_batch.bin)");
        }
        return files;
    }

    private static long recordCount(Path file) {
        try {
            long size = Files.size(file);
            if (size == 0 || size % RECORD_BYTES != 0) {
                throw new InvalidInputException("CIFAR-10 batch file " + file + " is truncated or not a CIFAR-10 binary batch: "
                        + size + " bytes is not a whole number of " + RECORD_BYTES + "-byte records (1 label byte + "
                        + IMAGE_BYTES + " pixel bytes)");
            }
            return size / RECORD_BYTES;
        } catch (IOException e) {
            throw new InvalidInputException("cannot read CIFAR-10 batch file " + file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] readAll(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read CIFAR-10 batch file " + file + ": " + e.getMessage(), e);
        }
    }
}
