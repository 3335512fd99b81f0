package io.purifier.data;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.ImageSet;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Reads a directory with one sub-folder per class, each holding PNG or JPEG images (the layout of torchvision's
 * {@code ImageFolder}). Class names are the sorted sub-folder names; images within a class are read in sorted
 * file-name order, so the result is the same on every machine.
 *
 * <p>All images must have the same size and the same number of channels: grayscale images give 1 channel, color
 * images 3 (an alpha channel is dropped). The first image that differs is named in the error. Files with other
 * extensions and hidden files are ignored. Symbolic links that lead outside the directory are refused.</p>
 */
public final class ImageFolderReader {

    private ImageFolderReader() {
    }

    /**
     * Reads a class-folder directory; class names are its sorted sub-folder names.
     *
     * @throws InvalidInputException naming the directory or file and the problem
     */
    public static ImageSet read(Path directory) {
        DataFiles.requireDirectory(directory, "image folder");
        return read(directory, classFolders(directory));
    }

    /**
     * Reads a class-folder directory whose sub-folders must be exactly {@code classNames} (for example a test
     * split that must name the same classes as its training split).
     *
     * @throws InvalidInputException when the sub-folders differ from {@code classNames}, or an image is bad
     */
    public static ImageSet read(Path directory, List<String> classNames) {
        DataFiles.requireDirectory(directory, "image folder");
        List<String> present = classFolders(directory);
        if (!present.equals(classNames)) {
            throw new InvalidInputException("image folder " + directory + " has class folders " + present
                    + " but " + classNames + " were expected");
        }
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < classNames.size(); c++) {
            Path classDir = directory.resolve(classNames.get(c));
            List<Path> images = imageFiles(classDir);
            if (images.isEmpty()) {
                throw new InvalidInputException("class folder " + classDir + " contains no PNG or JPEG images");
            }
            for (Path image : images) {
                DataFiles.requireInside(image, directory, "image");
                files.add(image);
                labels.add(c);
            }
        }
        return decode(files, labels.stream().mapToInt(Integer::intValue).toArray(), classNames);
    }

    /** The sorted names of the non-hidden sub-folders of {@code directory}. */
    public static List<String> classFolders(Path directory) {
        List<String> names;
        try (Stream<Path> entries = Files.list(directory)) {
            names = entries.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(name -> !name.startsWith("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new InvalidInputException("cannot list image folder " + directory + ": " + e.getMessage(), e);
        }
        if (names.isEmpty()) {
            throw new InvalidInputException("image folder " + directory + " has no class sub-folders (expected one folder per class)");
        }
        return names;
    }

    private static List<Path> imageFiles(Path classDir) {
        try (Stream<Path> entries = Files.list(classDir)) {
            return entries.filter(Files::isRegularFile)
                    .filter(ImageFolderReader::isImageName)
                    .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new InvalidInputException("cannot list class folder " + classDir + ": " + e.getMessage(), e);
        }
    }

    private static boolean isImageName(Path file) {
        String name = file.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        return !name.startsWith(".") && (lower.endsWith(".png") || lower.endsWith(".jpg") || lower.endsWith(".jpeg"));
    }

    private static ImageSet decode(List<Path> files, int[] labels, List<String> classNames) {
        int n = files.size();
        BufferedImage first = load(files.get(0));
        int height = first.getHeight();
        int width = first.getWidth();
        int channels = channelsOf(first);
        int perImage = channels * height * width;
        if ((long) n * perImage > Integer.MAX_VALUE - 16) {
            throw new InvalidInputException("image folder holds " + n + " images of " + describe(channels, height, width)
                    + ", too many to load at once");
        }
        float[] values = new float[n * perImage];
        for (int i = 0; i < n; i++) {
            BufferedImage image = i == 0 ? first : load(files.get(i));
            int c = channelsOf(image);
            if (image.getHeight() != height || image.getWidth() != width || c != channels) {
                throw new InvalidInputException("image " + files.get(i) + " is " + describe(c, image.getHeight(), image.getWidth())
                        + " but " + files.get(0) + " is " + describe(channels, height, width)
                        + "; all images must have the same size and channels");
            }
            writePixels(image, channels, values, i * perImage);
        }
        return new ImageSet(PixelTensors.fromFloats(values, n, channels, height, width), labels, classNames);
    }

    private static BufferedImage load(Path file) {
        try {
            BufferedImage image = ImageIO.read(file.toFile());
            if (image == null) {
                throw new InvalidInputException("image " + file + " is not a readable PNG or JPEG image");
            }
            return image;
        } catch (IOException e) {
            throw new InvalidInputException("cannot read image " + file + ": " + e.getMessage(), e);
        }
    }

    /** 1 for grayscale images (with or without alpha), 3 for color ones. */
    static int channelsOf(BufferedImage image) {
        return image.getColorModel().getNumColorComponents() == 1 ? 1 : 3;
    }

    /**
     * Writes one image's pixels in [0, 1], channel planes first. Grayscale samples are read from the raster (the
     * RGB view of a gray image applies a color-space conversion that changes the values); color images are read
     * as sRGB.
     */
    private static void writePixels(BufferedImage image, int channels, float[] out, int offset) {
        int h = image.getHeight();
        int w = image.getWidth();
        if (channels == 1) {
            Raster raster = image.getRaster();
            float max = (1 << image.getColorModel().getComponentSize(0)) - 1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    out[offset + y * w + x] = raster.getSample(x, y, 0) / max;
                }
            }
            return;
        }
        int plane = h * w;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = image.getRGB(x, y);
                int p = offset + y * w + x;
                out[p] = ((rgb >> 16) & 0xFF) / 255f;
                out[p + plane] = ((rgb >> 8) & 0xFF) / 255f;
                out[p + 2 * plane] = (rgb & 0xFF) / 255f;
            }
        }
    }

    private static String describe(int channels, int height, int width) {
        return width + "x" + height + " pixels with " + channels + (channels == 1 ? " channel" : " channels");
    }
}
