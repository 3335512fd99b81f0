package io.purifier.data.testing;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Writers of tiny data files for tests: IDX files, CIFAR-10 binary batches and class-folder PNG directories with
 * pixel values given by {@link #pixel}, and a copy of the committed 300 + 100 image Fashion-MNIST fixture.
 */
public final class Fixtures {

    /** The files of the Fashion-MNIST fixture (and of the real dataset). */
    public static final List<String> FASHION_FILES = List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");

    private Fixtures() {
    }

    /** The synthetic byte value of element {@code j} of image {@code i}: {@code (7·i + 3·j + 1) mod 256}. */
    public static int pixel(int i, int j) {
        return (7 * i + 3 * j + 1) & 0xFF;
    }

    /** {@code n} images of {@code perImage} bytes each, filled with {@link #pixel}. */
    public static byte[] pixels(int n, int perImage) {
        byte[] bytes = new byte[n * perImage];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < perImage; j++) {
                bytes[i * perImage + j] = (byte) pixel(i, j);
            }
        }
        return bytes;
    }

    /** Writes an IDX file (creating its folder): big-endian magic, dimensions, then {@code body}; gzipped when asked. */
    public static Path writeIdx(Path file, int magic, int[] dims, byte[] body, boolean gzip) {
        ByteBuffer header = ByteBuffer.allocate(4 + 4 * dims.length);
        header.putInt(magic);
        for (int d : dims) {
            header.putInt(d);
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(header.array());
            out.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Writes an IDX image file of {@code n} images of rows x cols filled with {@link #pixel}. */
    public static Path writeIdxImages(Path file, int n, int rows, int cols, boolean gzip) {
        return writeIdx(file, 0x00000803, new int[] {n, rows, cols}, pixels(n, rows * cols), gzip);
    }

    /** Writes an IDX label file. */
    public static Path writeIdxLabels(Path file, int[] labels, boolean gzip) {
        byte[] body = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            body[i] = (byte) labels[i];
        }
        return writeIdx(file, 0x00000801, new int[] {labels.length}, body, gzip);
    }

    /** Writes a CIFAR-10 binary batch: one record per label, pixels filled with {@link #pixel} (j = 0..3071). */
    public static Path writeCifarBatch(Path file, int[] labels) {
        byte[] pixels = pixels(labels.length, 3072);
        byte[] bytes = new byte[labels.length * 3073];
        for (int i = 0; i < labels.length; i++) {
            bytes[i * 3073] = (byte) labels[i];
            System.arraycopy(pixels, i * 3072, bytes, i * 3073 + 1, 3072);
        }
        return write(file, bytes);
    }

    /**
     * Writes {@code count} PNG images per class folder, {@code width} x {@code height}, grayscale or RGB, with
     * image i of a class (counted across all classes in the given order) filled with {@link #pixel} in C, H, W
     * order.
     */
    public static Path writeImageFolder(Path dir, List<String> classes, int count, int width, int height, boolean gray) {
        int index = 0;
        for (String name : classes) {
            Path classDir = dir.resolve(name);
            for (int k = 0; k < count; k++, index++) {
                writePng(classDir.resolve(String.format("img%03d.png", k)), index, width, height, gray);
            }
        }
        return dir;
    }

    /** Writes one PNG whose pixels are {@link #pixel}{@code (index, j)} in C, H, W order. */
    public static Path writePng(Path file, int index, int width, int height, boolean gray) {
        BufferedImage image = new BufferedImage(width, height, gray ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        int plane = width * height;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int p = y * width + x;
                if (gray) {
                    image.getRaster().setSample(x, y, 0, pixel(index, p));
                } else {
                    image.setRGB(x, y, (pixel(index, p) << 16) | (pixel(index, p + plane) << 8) | pixel(index, p + 2 * plane));
                }
            }
        }
        try {
            Files.createDirectories(file.getParent());
            ImageIO.write(image, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Copies the committed Fashion-MNIST fixture (300 train, 100 test images) into {@code dir}. */
    public static Path copyFashionMnistTiny(Path dir) {
        try {
            Files.createDirectories(dir);
            for (String name : FASHION_FILES) {
                try (InputStream in = Fixtures.class.getResourceAsStream("/fashion-mnist-tiny/" + name)) {
                    if (in == null) {
                        throw new IllegalStateException("test resource /fashion-mnist-tiny/" + name + " is missing");
                    }
                    Files.copy(in, dir.resolve(name));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** Writes bytes to a file, creating parent directories. */
    public static Path write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
