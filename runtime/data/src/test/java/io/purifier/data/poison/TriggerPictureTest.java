package io.purifier.data.poison;

import io.purifier.api.InvalidInputException;
import io.purifier.data.ConfiguredDataRoots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TriggerPictureTest {

    @TempDir
    Path dir;

    @Test
    void a_gray_png_reads_as_one_band_scaled_to_zero_to_one() throws Exception {
        BufferedImage png = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
        png.getRaster().setSample(0, 0, 0, 255);
        png.getRaster().setSample(1, 0, 0, 0);
        png.getRaster().setSample(0, 1, 0, 51);
        png.getRaster().setSample(1, 1, 0, 102);
        Path file = dir.resolve("gray.png");
        ImageIO.write(png, "png", file.toFile());

        TriggerPicture picture = TriggerPicture.read(file, "triggerImage");

        assertEquals(1, picture.bands());
        assertEquals(2, picture.height());
        assertEquals(2, picture.width());
        assertArrayEquals(new float[] {1f, 0f, 0.2f, 0.4f}, picture.pixels(), 1e-6f);
    }

    @Test
    void color_and_indexed_images_read_as_rgb_planes_and_transparent_pixels_as_black() {
        BufferedImage argb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0xff_ff_80_00);
        argb.setRGB(1, 0, 0x00_ff_ff_ff);
        assertArrayEquals(new float[] {1f, 0f, 128 / 255f, 0f, 0f, 0f},
                TriggerPicture.fromImage(argb).pixels(), 1e-6f);

        BufferedImage indexed = new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_INDEXED);
        indexed.setRGB(0, 0, 0xff_00_00_ff);
        TriggerPicture blue = TriggerPicture.fromImage(indexed);
        assertEquals(3, blue.bands());
        assertArrayEquals(new float[] {0f, 0f, 1f}, blue.pixels(), 1e-6f);
    }

    @Test
    void nearest_resize_repeats_pixels_and_bilinear_resize_interpolates_between_centres() {
        TriggerPicture row = new TriggerPicture(1, 1, 2, new float[] {0f, 1f});
        assertArrayEquals(new float[] {0f, 0f, 1f, 1f}, row.resizeNearest(1, 4).pixels());
        assertArrayEquals(new float[] {0f, 0.25f, 0.75f, 1f}, row.resizeBilinear(1, 4).pixels(), 1e-6f);
        TriggerPicture square = new TriggerPicture(1, 2, 2, new float[] {1f, 2f, 3f, 4f});
        assertArrayEquals(new float[] {1f, 1f, 2f, 2f, 1f, 1f, 2f, 2f, 3f, 3f, 4f, 4f, 3f, 3f, 4f, 4f},
                square.resizeNearest(4, 4).pixels());
        assertArrayEquals(new float[] {2.5f}, square.resizeBilinear(1, 1).pixels(), 1e-6f);
    }

    @Test
    void channels_are_repeated_for_gray_and_become_luminance_for_rgb() {
        TriggerPicture gray = new TriggerPicture(1, 1, 2, new float[] {0.5f, 1f});
        assertArrayEquals(new float[] {0.5f, 1f, 0.5f, 1f, 0.5f, 1f}, gray.toChannels(3));
        TriggerPicture rgb = new TriggerPicture(3, 1, 1, new float[] {1f, 0f, 0f});
        assertArrayEquals(new float[] {0.299f}, rgb.toChannels(1), 1e-6f);
        assertArrayEquals(new float[] {1f, 0f, 0f}, rgb.toChannels(3));
        assertArrayEquals(new float[] {0.299f, 0.299f}, rgb.toChannels(2), 1e-6f);
    }

    @Test
    void the_mask_marks_pixels_above_zero_in_any_band() {
        TriggerPicture rgb = new TriggerPicture(3, 1, 3, new float[] {0f, 0.1f, 0f, 0f, 0f, 0f, 0f, 0f, 0.5f});
        assertArrayEquals(new boolean[] {false, true, true}, rgb.nonZeroMask());
    }

    @Test
    void unreadable_or_unresolvable_files_are_named_with_the_parameter() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.txt"), "not an image");
        InvalidInputException notImage = assertThrows(InvalidInputException.class,
                () -> TriggerPicture.read(text, "triggerImage"));
        assertTrue(notImage.getMessage().startsWith("triggerImage: "), notImage.getMessage());
        assertTrue(notImage.getMessage().contains("notes.txt"), notImage.getMessage());

        ConfiguredDataRoots roots = new ConfiguredDataRoots(List.of(dir));
        InvalidInputException missing = assertThrows(InvalidInputException.class,
                () -> TriggerPicture.locate(roots, "missing.png", "triggerImage"));
        assertTrue(missing.getMessage().startsWith("triggerImage: "), missing.getMessage());
        assertEquals(text.toRealPath(), TriggerPicture.locate(roots, "notes.txt", "triggerImage"));
    }

    @Test
    void wrong_band_counts_and_pixel_counts_are_refused() {
        assertThrows(IllegalArgumentException.class, () -> new TriggerPicture(2, 1, 1, new float[2]));
        assertThrows(IllegalArgumentException.class, () -> new TriggerPicture(1, 2, 2, new float[3]));
    }
}
