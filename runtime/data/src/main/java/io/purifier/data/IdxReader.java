package io.purifier.data;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.ImageSet;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipException;

/**
 * Reads MNIST-format IDX files (LeCun et al., "The MNIST database"): a big-endian header with a magic number
 * ({@code 0x00000803} for 3-D unsigned-byte image files, {@code 0x00000801} for 1-D label files) and the
 * dimension sizes, followed by the unsigned bytes. Files may be gzipped or raw; gzip is recognised by its magic
 * bytes, not by the file name.
 *
 * <p>Every problem (missing or unreadable file, wrong magic number, truncated or oversized data, image and label
 * counts that differ, labels outside the class list) fails with an {@link InvalidInputException} naming the
 * file.</p>
 */
public final class IdxReader {

    /** Magic number of an IDX file of unsigned bytes with 3 dimensions (images). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an IDX file of unsigned bytes with 1 dimension (labels). */
    public static final int LABELS_MAGIC = 0x00000801;

    private IdxReader() {
    }

    /**
     * Reads an image file into a {@code [N, 1, H, W]} FLOAT tensor with values in [0, 1].
     *
     * @throws InvalidInputException naming the file when it is missing, not an IDX image file, or truncated
     */
    public static INDArray readImages(Path file) {
        DataFiles.requireReadableFile(file, "IDX image file");
        try (InputStream in = DataFiles.openMaybeGzipped(file)) {
            DataInputStream data = new DataInputStream(in);
            int magic = readHeaderInt(data, file);
            if (magic != IMAGES_MAGIC) {
                throw new InvalidInputException("IDX image file " + file + " has magic number " + hex(magic)
                        + ", expected " + hex(IMAGES_MAGIC) + " (3-D unsigned bytes)"
                        + (magic == LABELS_MAGIC ? "; it looks like a label file" : ""));
            }
            int n = readDimension(data, file, "image count");
            int rows = readDimension(data, file, "rows");
            int cols = readDimension(data, file, "columns");
            if (rows == 0 || cols == 0) {
                throw new InvalidInputException("IDX image file " + file + " declares images of " + rows + "x" + cols + " pixels");
            }
            long expected = (long) n * rows * cols;
            if (expected > Integer.MAX_VALUE - 16) {
                throw new InvalidInputException("IDX image file " + file + " declares " + n + " images of " + rows + "x"
                        + cols + " pixels, too many to load at once");
            }
            byte[] pixels = readBody(in, (int) expected, file, "pixel");
            return PixelTensors.fromUnsignedBytes(pixels, n, 1, rows, cols);
        } catch (ZipException e) {
            throw new InvalidInputException("IDX image file " + file + " is not valid gzip data: " + e.getMessage(), e);
        } catch (EOFException e) {
            throw new InvalidInputException("IDX image file " + file + " is truncated: its gzip stream ends early", e);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read IDX image file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a label file.
     *
     * @return one label (0..255) per image
     * @throws InvalidInputException naming the file when it is missing, not an IDX label file, or truncated
     */
    public static int[] readLabels(Path file) {
        DataFiles.requireReadableFile(file, "IDX label file");
        try (InputStream in = DataFiles.openMaybeGzipped(file)) {
            DataInputStream data = new DataInputStream(in);
            int magic = readHeaderInt(data, file);
            if (magic != LABELS_MAGIC) {
                throw new InvalidInputException("IDX label file " + file + " has magic number " + hex(magic)
                        + ", expected " + hex(LABELS_MAGIC) + " (1-D unsigned bytes)"
                        + (magic == IMAGES_MAGIC ? "; it looks like an image file" : ""));
            }
            int n = readDimension(data, file, "label count");
            if (n > Integer.MAX_VALUE - 16) {
                throw new InvalidInputException("IDX label file " + file + " declares " + n + " labels, too many");
            }
            byte[] bytes = readBody(in, n, file, "label");
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = bytes[i] & 0xFF;
            }
            return labels;
        } catch (ZipException e) {
            throw new InvalidInputException("IDX label file " + file + " is not valid gzip data: " + e.getMessage(), e);
        } catch (EOFException e) {
            throw new InvalidInputException("IDX label file " + file + " is truncated: its gzip stream ends early", e);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read IDX label file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads an image file and its label file into an image set.
     *
     * @param classNames the class names (index = label); null names the classes "0" .. "K-1" with K = largest
     *                   label + 1
     * @throws InvalidInputException when either file is bad, the counts differ, or a label has no class name
     */
    public static ImageSet read(Path imagesFile, Path labelsFile, List<String> classNames) {
        int[] labels = readLabels(labelsFile);
        INDArray images = readImages(imagesFile);
        if (images.size(0) != labels.length) {
            throw new InvalidInputException("IDX image file " + imagesFile + " holds " + images.size(0)
                    + " images but label file " + labelsFile + " holds " + labels.length + " labels");
        }
        List<String> names = classNames != null ? classNames : numberedClassNames(maxLabel(labels) + 1);
        checkLabels(labels, names, labelsFile);
        return new ImageSet(images, labels, names);
    }

    /** The class names "0" .. "count-1". */
    public static List<String> numberedClassNames(int count) {
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            names.add(Integer.toString(i));
        }
        return names;
    }

    /** The largest label, or -1 for no labels. */
    public static int maxLabel(int[] labels) {
        int max = -1;
        for (int label : labels) {
            max = Math.max(max, label);
        }
        return max;
    }

    private static void checkLabels(int[] labels, List<String> names, Path labelsFile) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= names.size()) {
                throw new InvalidInputException("IDX label file " + labelsFile + ": label " + labels[i] + " of image " + i
                        + " has no class name (" + names.size() + " classes given)");
            }
        }
    }

    private static int readHeaderInt(DataInputStream data, Path file) throws IOException {
        try {
            return data.readInt();
        } catch (EOFException e) {
            throw new InvalidInputException("IDX file " + file + " is truncated: it ends inside the header", e);
        }
    }

    private static int readDimension(DataInputStream data, Path file, String what) throws IOException {
        int value = readHeaderInt(data, file);
        if (value < 0) {
            throw new InvalidInputException("IDX file " + file + " declares a negative " + what + " (" + value + ")");
        }
        return value;
    }

    private static byte[] readBody(InputStream in, int expected, Path file, String what) throws IOException {
        // readNBytes grows its buffer as data arrives, so a corrupt header cannot force a huge allocation.
        byte[] body = in.readNBytes(expected);
        if (body.length < expected) {
            throw new InvalidInputException("IDX file " + file + " is truncated: the header promises " + expected + " "
                    + what + " bytes but only " + body.length + " follow");
        }
        if (in.read() != -1) {
            throw new InvalidInputException("IDX file " + file + " has data after the " + expected + " " + what
                    + " bytes its header declares");
        }
        return body;
    }

    private static String hex(int value) {
        return String.format("0x%08X", value);
    }
}
