package io.purifier.data;

import io.purifier.api.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BoundedZipTest {

    private static final BoundedZip.Limits LIMITS = new BoundedZip.Limits(4, 4 << 20, 6 << 20, 50);

    private static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (var e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    private static String refusal(byte[] archive) {
        return assertThrows(InvalidInputException.class,
                () -> BoundedZip.read(new ByteArrayInputStream(archive), Set.of("a", "b"), LIMITS, "m.zip")).getMessage();
    }

    @Test
    void reads_the_wanted_entries_and_skips_the_rest() throws IOException {
        byte[] a = random(3 << 20);
        Map<String, byte[]> read = BoundedZip.read(new ByteArrayInputStream(zip(Map.of("a", a, "other", random(10)))),
                Set.of("a", "b"), LIMITS, "m.zip");
        assertEquals(Set.of("a"), read.keySet());
        assertArrayEquals(a, read.get("a"));
    }

    @Test
    void an_entry_that_inflates_past_its_limit_is_refused() throws IOException {
        assertTrue(refusal(zip(Map.of("a", random(5 << 20)))).contains("'a' inflates to more than"), refusal(zip(Map.of("a", random(5 << 20)))));
    }

    @Test
    void entries_that_inflate_past_the_total_are_refused_even_when_skipped() throws IOException {
        String message = refusal(zip(Map.of("x", random((4 << 20) - 1), "y", random((4 << 20) - 1))));
        assertTrue(message.contains("inflate to more than") && message.contains("in all"), message);
    }

    @Test
    void a_compression_ratio_of_a_zip_bomb_is_refused() throws IOException {
        String message = refusal(zip(Map.of("a", new byte[3 << 20])));
        assertTrue(message.contains("compression ratio above 50:1"), message);
    }

    @Test
    void too_many_entries_are_refused() throws IOException {
        Map<String, byte[]> many = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            many.put("e" + i, new byte[1]);
        }
        assertTrue(refusal(zip(many)).contains("more than 4 zip entries"));
    }

    @Test
    void bytes_that_are_not_a_zip_are_refused() {
        assertTrue(refusal("not a zip".getBytes()).contains("is not a zip archive"));
        byte[] truncated = java.util.Arrays.copyOf(random(100), 100);
        truncated[0] = 'P';
        truncated[1] = 'K';
        truncated[2] = 3;
        truncated[3] = 4;
        assertTrue(refusal(truncated).contains("m.zip"));
    }

    @Test
    void limits_must_be_positive() {
        assertThrows(IllegalArgumentException.class, () -> new BoundedZip.Limits(0, 1, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> new BoundedZip.Limits(1, 1, 1, 1));
    }
}
