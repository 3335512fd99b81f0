package io.purifier.engine.tensor;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When the guard collects: growth beyond the margin over the lowest size seen, looked at once per interval. */
class NativeGarbageGuardTest {

    private static final long MB = 1L << 20;

    private final AtomicLong rss = new AtomicLong(300 * MB);
    private final AtomicLong clock = new AtomicLong();
    private final AtomicLong collected = new AtomicLong();
    private final AtomicLong trimmed = new AtomicLong();

    private NativeGarbageGuard guard(long margin) {
        return new NativeGarbageGuard(margin, 100, rss::get, collected::incrementAndGet, trimmed::incrementAndGet,
                clock::get);
    }

    /** Moves the clock past the interval, sets the resident size, looks. */
    private void lookAt(NativeGarbageGuard g, long residentMb) {
        clock.addAndGet(100);
        rss.set(residentMb * MB);
        g.look();
    }

    @Test
    void collects_once_growth_exceeds_the_margin_over_the_lowest_size_seen() {
        NativeGarbageGuard g = guard(512 * MB);
        lookAt(g, 300);
        lookAt(g, 250);
        lookAt(g, 760);
        assertEquals(0, collected.get(), "510 MB over the lowest size (250) is within the margin");
        lookAt(g, 763);
        assertEquals(1, collected.get(), "513 MB over it is not");
        assertEquals(1, g.collections());
    }

    @Test
    void after_a_collection_the_baseline_is_measured_anew_so_memory_really_held_does_not_collect_again() {
        NativeGarbageGuard g = guard(512 * MB);
        lookAt(g, 300);
        lookAt(g, 900);
        assertEquals(1, collected.get());
        assertEquals(0, trimmed.get(), "the collected arrays' data is freed on ND4J's thread after the collection");
        lookAt(g, 880); // what the run really holds after the collection becomes the baseline
        assertEquals(1, trimmed.get(), "the next look trims the allocator before measuring the new baseline");
        for (int i = 0; i < 20; i++) {
            lookAt(g, 900 + i * 10);
        }
        assertEquals(1, collected.get(), "growth from 880 to 1090 MB stays within the margin");
        lookAt(g, 1400);
        assertEquals(2, collected.get(), "another margin of growth collects again");
    }

    @Test
    void looks_at_most_once_per_interval() {
        NativeGarbageGuard g = guard(512 * MB);
        lookAt(g, 300);
        rss.set(2000 * MB);
        clock.addAndGet(99);
        g.look();
        assertEquals(0, collected.get(), "within the interval the guard does not look");
        clock.addAndGet(1);
        g.look();
        assertEquals(1, collected.get());
    }

    @Test
    void a_margin_of_zero_or_an_unknown_size_never_collects() {
        NativeGarbageGuard off = guard(0);
        lookAt(off, 300);
        lookAt(off, 5000);
        assertEquals(0, collected.get());
        NativeGarbageGuard blind = new NativeGarbageGuard(MB, 100, () -> -1, collected::incrementAndGet,
                trimmed::incrementAndGet, clock::get);
        for (int i = 0; i < 5; i++) {
            clock.addAndGet(100);
            blind.look();
        }
        assertEquals(0, collected.get());
    }

    @Test
    void here_the_resident_size_is_known_and_the_allocator_can_be_trimmed() {
        // what the process's guard relies on where the product runs (linux-x86_64, JavaCPP 1.5.7): without either
        // it would silently never collect, or re-baseline on memory glibc keeps
        assertTrue(org.bytedeco.javacpp.Pointer.physicalBytes() > 10 * MB, "JavaCPP reads the resident size");
        assertTrue(NativeGarbageGuard.canTrim(), "JavaCPP's trimMemory was not found: was JavaCPP upgraded?");
    }
}
