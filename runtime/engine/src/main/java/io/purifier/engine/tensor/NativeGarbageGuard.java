package io.purifier.engine.tensor;

import org.bytedeco.javacpp.Pointer;

import java.lang.reflect.Method;
import java.util.function.LongSupplier;

/**
 * Prompts a garbage collection when the process's resident memory has grown by more than a margin since the last
 * look after one.
 *
 * <p>Why: an ND4J array keeps its data off the Java heap behind a heap object of a few hundred bytes, and its data is
 * freed only when the collector finds that object dead. The collector runs when the <em>heap</em> fills, so a worker
 * that makes activation-sized temporaries per step (a defense's own arithmetic, a plugin's) piles up gigabytes of dead
 * native memory between collections: SAU's unlearning on the small CNN peaked 0.75 GB higher than with a collection
 * every second. JavaCPP guards its own allocations the same way ({@code maxPhysicalBytes}); ND4J's are not counted
 * there. The engine's own steps close what they can (pooled buffers, the tape); this catches the rest, whoever made
 * it.</p>
 *
 * <p>How: {@link #check()} is cheap and called before every forward pass. At most every {@code interval} it reads the
 * resident size; when that exceeds the baseline by {@code margin} it collects. The baseline is the lowest resident size
 * seen since the last collection. At the next look after a collection (ND4J frees the data of collected arrays on its
 * own thread a moment later) the C allocator is asked to hand its free memory back to the system ({@code malloc_trim}
 * through JavaCPP; glibc otherwise keeps it, and the resident size would not show what was freed), and the baseline is
 * measured anew: memory the run really holds never makes it collect again and again, only another {@code margin} of
 * growth does.</p>
 *
 * <p>Some growth is not garbage: a pass whose arrays exceed the buffer pool's cap (PreAct-ResNet-18 at width 0.5,
 * inference at batch 256) frees and takes hundreds of MB per pass, which glibc keeps for reuse; trimming hands it
 * back, the next pass takes it again from the system (page by page, slowly), and the resident size is back above the
 * margin within a second. Without a check that inference collected 15 times and ran at 224–236 instead of 771
 * images/s. So a collection that freed less than half the margin, or whose memory came back within
 * {@value #REGROWTH_SECONDS} s, doubles the margin (up to {@value #MAX_BACKOFF} times the configured one); one that
 * freed memory that stayed freed sets it back.</p>
 *
 * <p>The margin is {@code -Dpurifier.engine.gcMarginBytes} (256 MiB unless set; 0 turns the guard off).</p>
 */
public final class NativeGarbageGuard {

    /** Growth of the resident size that prompts a collection unless configured otherwise. */
    public static final long DEFAULT_MARGIN_BYTES = 256L << 20;

    /** The most the margin grows, as a multiple of the configured one, after collections that freed little. */
    static final int MAX_BACKOFF = 8;

    /** Regrowth to the level before a collection within this many seconds marks the collection as in vain. */
    static final int REGROWTH_SECONDS = 2;

    /** Least time between two looks at the resident size. */
    static final long INTERVAL_NANOS = 200_000_000L;

    /** JavaCPP's {@code malloc_trim(0)} (what it calls after its own collections), private in JavaCPP 1.5.7. */
    private static final Method TRIM = trimMethod();

    private static final NativeGarbageGuard PROCESS = new NativeGarbageGuard(
            Long.getLong("purifier.engine.gcMarginBytes", DEFAULT_MARGIN_BYTES), INTERVAL_NANOS,
            NativeGarbageGuard::residentBytes, System::gc, NativeGarbageGuard::trimAllocator, System::nanoTime);

    private final long margin;
    private final long interval;
    private final LongSupplier resident;
    private final Runnable collect;
    private final Runnable trim;
    private final LongSupplier clock;
    private long lastLook;
    private boolean looked;
    private boolean collectedLastLook;
    private long beforeCollection;
    private long collectedAt;
    private boolean judging;
    private long effectiveMargin;
    private long baseline = -1;
    private long collections;

    /**
     * A guard.
     *
     * @param margin   growth in bytes that prompts a collection; 0 or less never collects
     * @param interval least nanoseconds between two looks
     * @param resident the process's resident size in bytes, or a negative number when unknown
     * @param collect  the collection
     * @param trim     hands the C allocator's free memory back to the system
     * @param clock    nanoseconds
     */
    NativeGarbageGuard(long margin, long interval, LongSupplier resident, Runnable collect, Runnable trim,
                       LongSupplier clock) {
        this.margin = margin;
        this.effectiveMargin = margin;
        this.interval = interval;
        this.resident = resident;
        this.collect = collect;
        this.trim = trim;
        this.clock = clock;
    }

    /** The process's guard: looks now if the interval has passed, and collects if the margin is exceeded. */
    public static void check() {
        PROCESS.look();
    }

    /** One look (at most one per interval). */
    synchronized void look() {
        if (margin <= 0) {
            return;
        }
        long now = clock.getAsLong();
        if (looked && now - lastLook < interval) {
            return;
        }
        looked = true;
        lastLook = now;
        if (collectedLastLook) {
            collectedLastLook = false;
            trim.run();
        }
        long rss = resident.getAsLong();
        if (rss < 0) {
            return;
        }
        if (judging) {
            judge(rss, now);
        }
        if (baseline < 0 || rss < baseline) {
            baseline = rss;
            return;
        }
        if (rss - baseline > effectiveMargin) {
            beforeCollection = rss;
            collectedAt = now;
            judging = true;
            collect.run();
            collections++;
            collectedLastLook = true;
            baseline = -1;
        }
    }

    /** Whether JavaCPP's {@code malloc_trim} was found (it is private API, looked up by name). */
    static boolean canTrim() {
        return TRIM != null;
    }

    /**
     * Whether the last collection was worth it: at the first look after it, it must have freed half the margin; until
     * {@link #REGROWTH_SECONDS} after it, the resident size must not be back near the level before it.
     */
    private void judge(long rss, long now) {
        boolean first = baseline < 0;
        boolean freedLittle = first && beforeCollection - rss < effectiveMargin / 2;
        boolean cameBack = !first && rss >= beforeCollection - effectiveMargin / 4;
        if (freedLittle || cameBack) {
            effectiveMargin = Math.min(effectiveMargin * 2, margin * MAX_BACKOFF);
            judging = false;
        } else if (now - collectedAt >= REGROWTH_SECONDS * 1_000_000_000L) {
            effectiveMargin = margin;
            judging = false;
        }
    }

    /** The growth that prompts the next collection (the margin, or more after collections that freed little). */
    synchronized long effectiveMargin() {
        return effectiveMargin;
    }

    /** Collections prompted by this guard. */
    synchronized long collections() {
        return collections;
    }

    private static void trimAllocator() {
        if (TRIM != null) {
            try {
                TRIM.invoke(null);
            } catch (ReflectiveOperationException | RuntimeException e) { // the baseline is then what glibc keeps
            }
        }
    }

    private static Method trimMethod() {
        try {
            Method m = Pointer.class.getDeclaredMethod("trimMemory");
            m.setAccessible(true);
            return m;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    private static long residentBytes() {
        try {
            return Pointer.physicalBytes();
        } catch (Throwable e) { // JavaCPP cannot tell on this platform
            return -1;
        }
    }
}
