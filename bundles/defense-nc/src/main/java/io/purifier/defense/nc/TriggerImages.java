package io.purifier.defense.nc;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The reverse-engineered triggers as artifacts, as BackdoorBench saves them: per class a PNG of the mask and of the
 * trigger {@code m * p} (gray for one channel, RGB for three, the first channel otherwise), and a table of the norms
 * with the detection's verdict per class.
 */
final class TriggerImages {

    private TriggerImages() {
    }

    /**
     * Writes {@code nc-class<k>-mask.png}, {@code nc-class<k>-trigger.png} and {@code nc-mask-norms.tsv} into {@code dir}.
     *
     * @throws UncheckedIOException naming the directory when a file cannot be written
     */
    static void write(Path dir, List<TriggerSearch.Result> results, OutlierDetection detection, List<String> classNames) {
        try {
            Files.createDirectories(dir);
            StringBuilder table = new StringBuilder("class\tname\tnorm\tattackSuccess\tepochs\tflagged\n");
            for (TriggerSearch.Result r : results) {
                Trigger t = r.trigger();
                ImageIO.write(image(t, false), "png", dir.resolve("nc-class" + r.target() + "-mask.png").toFile());
                ImageIO.write(image(t, true), "png", dir.resolve("nc-class" + r.target() + "-trigger.png").toFile());
                table.append(r.target()).append('\t').append(classNames.get(r.target())).append('\t')
                        .append(String.format(Locale.ROOT, "%.6f\t%.4f\t%d\t", r.norm(), r.attackSuccess(), r.epochs()))
                        .append(detection.flagged().contains(r.target()) ? "yes" : "no").append('\n');
            }
            Files.writeString(dir.resolve("nc-mask-norms.tsv"), table);
        } catch (IOException e) {
            throw new UncheckedIOException("nc could not write its trigger images into " + dir, e);
        }
    }

    /** The mask (gray) or the trigger {@code m * p}. */
    static BufferedImage image(Trigger t, boolean trigger) {
        int plane = t.height() * t.width();
        boolean rgb = trigger && t.channels() == 3;
        BufferedImage out = new BufferedImage(t.width(), t.height(), rgb ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < t.height(); y++) {
            for (int x = 0; x < t.width(); x++) {
                int j = y * t.width() + x;
                double m = t.mask()[j];
                if (rgb) {
                    int r = byteOf(m * t.pattern()[j]);
                    int g = byteOf(m * t.pattern()[plane + j]);
                    int b = byteOf(m * t.pattern()[2 * plane + j]);
                    out.setRGB(x, y, (r << 16) | (g << 8) | b);
                } else {
                    int v = byteOf(trigger ? m * t.pattern()[j] : m);
                    out.getRaster().setSample(x, y, 0, v);
                }
            }
        }
        return out;
    }

    private static int byteOf(double v) {
        return (int) Math.round(255 * Math.max(0, Math.min(1, v)));
    }
}
