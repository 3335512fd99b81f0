package io.purifier.server.run;

import org.nd4j.linalg.api.ndarray.INDArray;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/** Writes {@code [C, H, W]} pixel tensors in [0, 1] as PNG files (gray for 1 channel, RGB for 3). */
final class PreviewImages {

    private PreviewImages() {
    }

    /** Writes {@code image} to {@code file}, upscaled by an integer factor so small images stay visible. */
    static void writePng(INDArray image, Path file, int scale) throws IOException {
        int c = (int) image.size(0);
        int h = (int) image.size(1);
        int w = (int) image.size(2);
        if (c != 1 && c != 3) {
            throw new IllegalArgumentException("preview images need 1 or 3 channels, got " + c);
        }
        BufferedImage out = new BufferedImage(w * scale, h * scale, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = byteOf(image.getDouble(0, y, x));
                int g = c == 3 ? byteOf(image.getDouble(1, y, x)) : r;
                int b = c == 3 ? byteOf(image.getDouble(2, y, x)) : r;
                int rgb = (r << 16) | (g << 8) | b;
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        out.setRGB(x * scale + dx, y * scale + dy, rgb);
                    }
                }
            }
        }
        if (!ImageIO.write(out, "png", file.toFile())) {
            throw new IOException("no PNG writer available");
        }
    }

    private static int byteOf(double v) {
        double clipped = Double.isFinite(v) ? Math.max(0, Math.min(1, v)) : 0;
        return (int) Math.round(clipped * 255);
    }
}
