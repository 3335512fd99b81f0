package io.purifier.engine.nn;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Opt-in time per layer type and direction of every {@link ForwardPass}, for the engine benchmark's profile
 * ({@code -Dpurifier.engine.profile=true}). Off by default: then it costs one branch per node.
 */
public final class PassProfile {

    private static volatile boolean enabled = Boolean.getBoolean("purifier.engine.profile");
    private static final Map<String, LongAdder> NANOS = new ConcurrentHashMap<>();
    private static final Map<String, LongAdder> CALLS = new ConcurrentHashMap<>();

    private PassProfile() {
    }

    /** Turns recording on or off. */
    public static void enable(boolean on) {
        enabled = on;
    }

    static boolean enabled() {
        return enabled;
    }

    static void record(String key, long nanos) {
        NANOS.computeIfAbsent(key, k -> new LongAdder()).add(nanos);
        CALLS.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    /** Forgets what was recorded. */
    public static void reset() {
        NANOS.clear();
        CALLS.clear();
    }

    /** Milliseconds by {@code type/direction}. */
    public static Map<String, Double> millis() {
        Map<String, Double> out = new TreeMap<>();
        NANOS.forEach((k, v) -> out.put(k, v.sum() / 1e6));
        return out;
    }

    /** A table, largest first, with each entry's share of the total. */
    public static String report() {
        double total = NANOS.values().stream().mapToLong(LongAdder::sum).sum();
        StringBuilder sb = new StringBuilder();
        NANOS.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue().sum(), a.getValue().sum()))
                .forEach(e -> sb.append(String.format(Locale.ROOT, "%-24s %9.1f ms %6.1f %% %8d calls%n", e.getKey(),
                        e.getValue().sum() / 1e6, 100 * e.getValue().sum() / total, CALLS.get(e.getKey()).sum())));
        return sb.toString();
    }
}
