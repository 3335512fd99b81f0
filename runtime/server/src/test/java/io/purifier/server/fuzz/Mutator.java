package io.purifier.server.fuzz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Seeded mutations of a valid file, as a careless or hostile uploader would make them: bit flips, truncation,
 * random bytes, and huge declared sizes (the size fields of zip headers, or integers near the start of other
 * formats, set to values near 2^31 and 2^64).
 */
public final class Mutator {

    /** One mutated file: how it was made and its bytes. */
    public record Mutant(String how, byte[] bytes) {
    }

    private final Random random;

    public Mutator(long seed) {
        this.random = new Random(seed);
    }

    /** A mutant of {@code original}, of one of the four kinds (chosen at random, bit flips most often). */
    public Mutant mutate(byte[] original) {
        int kind = random.nextInt(10);
        if (kind < 5) {
            return bitFlips(original);
        }
        if (kind < 7) {
            return truncation(original);
        }
        if (kind < 8) {
            return randomBytes(original);
        }
        return hugeSizes(original);
    }

    Mutant bitFlips(byte[] original) {
        byte[] copy = original.clone();
        int flips = 1 + random.nextInt(16);
        for (int i = 0; i < flips; i++) {
            int bit = random.nextInt(copy.length * 8);
            copy[bit / 8] ^= (byte) (1 << (bit % 8));
        }
        return new Mutant(flips + " bit flip(s)", copy);
    }

    Mutant truncation(byte[] original) {
        int length = random.nextInt(Math.max(1, original.length));
        return new Mutant("truncated to " + length + " bytes", Arrays.copyOf(original, length));
    }

    Mutant randomBytes(byte[] original) {
        byte[] bytes = new byte[1 + random.nextInt(Math.max(1, original.length))];
        random.nextBytes(bytes);
        if (random.nextBoolean() && bytes.length >= 8) {
            System.arraycopy(original, 0, bytes, 0, Math.min(8, original.length));
            return new Mutant(bytes.length + " random bytes after the original magic", bytes);
        }
        return new Mutant(bytes.length + " random bytes", bytes);
    }

    Mutant hugeSizes(byte[] original) {
        byte[] copy = original.clone();
        ByteBuffer buf = ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN);
        List<Integer> zipSizeFields = new ArrayList<>();
        for (int i = 0; i + 30 <= copy.length; i++) {
            if (copy[i] == 'P' && copy[i + 1] == 'K' && copy[i + 2] == 3 && copy[i + 3] == 4) {
                zipSizeFields.add(i + 18);
                zipSizeFields.add(i + 22);
            } else if (copy[i] == 'P' && copy[i + 1] == 'K' && copy[i + 2] == 1 && copy[i + 3] == 2 && i + 28 <= copy.length) {
                zipSizeFields.add(i + 20);
                zipSizeFields.add(i + 24);
            }
        }
        int huge = random.nextBoolean() ? Integer.MAX_VALUE : -1;
        if (!zipSizeFields.isEmpty()) {
            int at = zipSizeFields.get(random.nextInt(zipSizeFields.size()));
            buf.putInt(at, huge);
            return new Mutant("zip size field at " + at + " set to " + Integer.toUnsignedString(huge), copy);
        }
        if (copy.length < 8) {
            return bitFlips(original);
        }
        int at = random.nextInt(Math.min(512, copy.length - 7));
        if (random.nextBoolean()) {
            buf.putLong(at, random.nextBoolean() ? Long.MAX_VALUE : -1L);
            return new Mutant("8-byte integer at " + at + " set to a huge value", copy);
        }
        buf.putInt(at, huge);
        return new Mutant("4-byte integer at " + at + " set to " + Integer.toUnsignedString(huge), copy);
    }
}
