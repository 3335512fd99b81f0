package io.purifier.data;

import io.purifier.api.InvalidInputException;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Reads chosen entries of an untrusted zip stream into memory within limits, so that a zip bomb (millions of
 * entries, an entry that inflates to gigabytes, an absurd compression ratio) is refused with a message instead of
 * exhausting memory: at most {@code maxEntries} entries, {@code maxEntryBytes} per kept entry and
 * {@code maxTotalBytes} in all once inflated, and an inflated-to-compressed ratio of at most {@code maxRatio}
 * (checked once an entry has inflated past {@value #RATIO_GRACE_BYTES} bytes). Entries that are not wanted are
 * skipped but still count towards the entry limit and are inflated within the same total and ratio limits.
 */
public final class BoundedZip {

    /** Inflated bytes an entry may reach before its compression ratio is checked. */
    public static final long RATIO_GRACE_BYTES = 1 << 20;

    /**
     * The limits of one read.
     *
     * @param maxEntries    entries in the archive
     * @param maxEntryBytes inflated bytes of one entry
     * @param maxTotalBytes inflated bytes of all entries
     * @param maxRatio      inflated bytes per compressed byte, per entry
     */
    public record Limits(int maxEntries, long maxEntryBytes, long maxTotalBytes, double maxRatio) {

        /** Checks that every limit is positive. */
        public Limits {
            if (maxEntries <= 0 || maxEntryBytes <= 0 || maxTotalBytes <= 0 || maxRatio <= 1) {
                throw new IllegalArgumentException("zip limits must be positive (ratio above 1): " + maxEntries + ", "
                        + maxEntryBytes + ", " + maxTotalBytes + ", " + maxRatio);
            }
        }

        /** Limits for model files: 64 entries, 1 GiB per entry and in all, ratio 100. */
        public static Limits forModels() {
            return new Limits(64, 1L << 30, 1L << 30, 100);
        }
    }

    private BoundedZip() {
    }

    /**
     * Reads the entries named in {@code wanted} from the zip stream {@code in} (not closed).
     *
     * @param source names the archive in messages
     * @return the wanted entries found, by name (missing ones are absent)
     * @throws InvalidInputException when the stream is not a zip or breaks a limit, naming which
     * @throws IOException           when reading fails
     */
    public static Map<String, byte[]> read(InputStream in, Set<String> wanted, Limits limits, String source) throws IOException {
        CountingStream counted = new CountingStream(in);
        ZipInputStream zip = new ZipInputStream(counted);
        Map<String, byte[]> out = new LinkedHashMap<>();
        int entries = 0;
        long total = 0;
        byte[] buffer = new byte[64 * 1024];
        try {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                if (++entries > limits.maxEntries()) {
                    throw new InvalidInputException(source + " has more than " + limits.maxEntries() + " zip entries");
                }
                boolean keep = wanted.contains(entry.getName());
                ByteArrayOutputStream kept = keep ? new ByteArrayOutputStream() : null;
                long entryBytes = 0;
                long compressedAtStart = counted.count;
                int n;
                while ((n = zip.read(buffer)) > 0) {
                    entryBytes += n;
                    total += n;
                    if (entryBytes > limits.maxEntryBytes()) {
                        throw new InvalidInputException(source + ": zip entry '" + entry.getName() + "' inflates to more than "
                                + limits.maxEntryBytes() + " bytes");
                    }
                    if (total > limits.maxTotalBytes()) {
                        throw new InvalidInputException(source + ": the zip entries inflate to more than "
                                + limits.maxTotalBytes() + " bytes in all");
                    }
                    long compressed = Math.max(1, counted.count - compressedAtStart);
                    if (entryBytes > RATIO_GRACE_BYTES && entryBytes > limits.maxRatio() * compressed) {
                        throw new InvalidInputException(source + ": zip entry '" + entry.getName() + "' has a compression ratio "
                                + "above " + (long) limits.maxRatio() + ":1 (a zip bomb?)");
                    }
                    if (keep) {
                        kept.write(buffer, 0, n);
                    }
                }
                if (keep) {
                    out.put(entry.getName(), kept.toByteArray());
                }
            }
        } catch (ZipException e) {
            throw new InvalidInputException(source + " is not a valid zip archive (" + e.getMessage() + ")", e);
        } catch (java.io.EOFException e) {
            throw new InvalidInputException(source + " is a truncated zip archive", e);
        }
        if (entries == 0) {
            throw new InvalidInputException(source + " is not a zip archive (no entries)");
        }
        return out;
    }

    /** Counts the compressed bytes the zip reader consumes. */
    private static final class CountingStream extends FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += Math.max(0, skipped);
            return skipped;
        }
    }
}
