package io.purifier.server.executor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Fits a worker JVM's options to a memory size: the whole process (heap and ND4J's native memory) stays within it.
 * The heap ({@code -Xmx}) keeps its configured size but at most half the memory (a configured young generation,
 * {@code -Xmn}, at most a quarter of that heap); JavaCPP's native allocations
 * ({@code org.bytedeco.javacpp.maxbytes}) get the rest; and JavaCPP refuses an allocation once the process's
 * resident memory would pass the size ({@code org.bytedeco.javacpp.maxphysicalbytes}), so a run that needs more
 * fails with ND4J's out-of-memory error instead of taking the machine's memory from the other runs.
 */
final class WorkerMemory {

    static final String MAX_BYTES = "-Dorg.bytedeco.javacpp.maxbytes=";
    static final String MAX_PHYSICAL_BYTES = "-Dorg.bytedeco.javacpp.maxphysicalbytes=";
    private static final long MIB = 1L << 20;

    private WorkerMemory() {
    }

    /** {@code options} with the heap, native and process caps of a worker of {@code memoryMegabytes} MiB. */
    static List<String> fit(List<String> options, int memoryMegabytes) {
        long total = memoryMegabytes * MIB;
        long heap = Math.min(configuredHeap(options), total / 2);
        Long young = null;
        List<String> out = new ArrayList<>();
        for (String option : options) {
            if (option.startsWith("-Xmn")) {
                young = bytes(option.substring(4), option);
            } else if (!option.startsWith("-Xmx") && !option.startsWith(MAX_BYTES)
                    && !option.startsWith(MAX_PHYSICAL_BYTES)) {
                out.add(option);
            }
        }
        if (young != null) {
            // a young generation as large as a shrunken heap would leave no old generation (the JVM warns and
            // overrides it): at most a quarter of the heap
            out.add("-Xmn" + Math.min(young, heap / 4) / MIB + "m");
        }
        out.add("-Xmx" + heap / MIB + "m");
        out.add(MAX_BYTES + (total - heap) / MIB + "M");
        out.add(MAX_PHYSICAL_BYTES + memoryMegabytes + "M");
        return out;
    }

    /** The last {@code -Xmx} of {@code options} in bytes; 2 GiB when there is none. */
    static long configuredHeap(List<String> options) {
        long heap = 2048 * MIB;
        for (String option : options) {
            if (option.startsWith("-Xmx")) {
                heap = bytes(option.substring(4), option);
            }
        }
        return heap;
    }

    /** A JVM size such as {@code 512m}, {@code 2G} or {@code 1073741824} in bytes. */
    static long bytes(String size, String option) {
        String s = size.trim().toLowerCase(Locale.ROOT);
        if (s.isEmpty()) {
            throw new IllegalArgumentException("JVM option '" + option + "' has no size");
        }
        long unit = switch (s.charAt(s.length() - 1)) {
            case 'k' -> 1L << 10;
            case 'm' -> MIB;
            case 'g' -> 1L << 30;
            case 't' -> 1L << 40;
            default -> 1;
        };
        String digits = unit == 1 ? s : s.substring(0, s.length() - 1);
        try {
            return Math.multiplyExact(Long.parseLong(digits), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("JVM option '" + option + "' has no size the JVM reads (like 512m or 2g)");
        }
    }
}
