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

    private static final long LOOK = 100_000_000L;

    private NativeGarbageGuard guard(long margin) {
        return new NativeGarbageGuard(margin, LOOK, rss::get, collected::incrementAndGet, trimmed::incrementAndGet,
                clock::get);
    }

    /** Moves the clock one look interval (100 ms) on, sets the resident size, looks. */
    private void lookAt(NativeGarbageGuard g, long residentMb) {
        clock.addAndGet(LOOK);
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
        lookAt(g, 600); // what the run really holds after the collection becomes the baseline
        assertEquals(1, trimmed.get(), "the next look trims the allocator before measuring the new baseline");
        for (int i = 0; i < 25; i++) { // 2.5 s of slow growth: the freed memory stayed freed
            lookAt(g, 600 + i * 5);
        }
        assertEquals(1, collected.get(), "growth from 600 to 720 MB stays within the margin");
        assertEquals(512 * MB, g.effectiveMargin(), "a collection worth it keeps the margin");
        lookAt(g, 1150);
        assertEquals(2, collected.get(), "another margin of growth collects again");
    }

    @Test
    void a_collection_that_frees_little_or_whose_memory_comes_straight_back_doubles_the_margin() {
        NativeGarbageGuard little = guard(512 * MB);
        lookAt(little, 300);
        lookAt(little, 900);
        lookAt(little, 880); // 20 MB freed: a swing of the working set, not garbage
        assertEquals(1024 * MB, little.effectiveMargin());
        lookAt(little, 1400);
        assertEquals(1, collected.get(), "520 MB over the new baseline is within the doubled margin");

        NativeGarbageGuard churn = guard(512 * MB);
        lookAt(churn, 300);
        lookAt(churn, 900);
        lookAt(churn, 500); // the trim handed 400 MB back ...
        assertEquals(512 * MB, churn.effectiveMargin());
        lookAt(churn, 850); // ... and the next pass took it again within the regrowth window
        assertEquals(1024 * MB, churn.effectiveMargin());
        assertEquals(2, collected.get(), "850 MB is 350 over the baseline: no second collection");
    }

    @Test
    void the_margin_grows_up_to_a_cap_and_a_collection_worth_it_sets_it_back() {
        NativeGarbageGuard g = guard(512 * MB);
        long level = 300;
        lookAt(g, level);
        for (int round = 0; round < 6; round++) {
            level += g.effectiveMargin() / MB + 10;
            lookAt(g, level);
            lookAt(g, level - 10);
        }
        assertEquals(6, collected.get());
        assertEquals(NativeGarbageGuard.MAX_BACKOFF * 512 * MB, g.effectiveMargin(), "the margin stops growing");
        lookAt(g, level + 4097);
        lookAt(g, level - 100); // this one freed 4,197 MB ...
        for (int i = 0; i < 20; i++) { // ... which stayed freed for 2 s
            lookAt(g, level - 100);
        }
        assertEquals(512 * MB, g.effectiveMargin(), "a collection worth it sets the margin back");
    }

    @Test
    void looks_at_most_once_per_interval() {
        NativeGarbageGuard g = guard(512 * MB);
        lookAt(g, 300);
        rss.set(2000 * MB);
        clock.addAndGet(LOOK - 1);
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
        NativeGarbageGuard blind = new NativeGarbageGuard(MB, LOOK, () -> -1, collected::incrementAndGet,
                trimmed::incrementAndGet, clock::get);
        for (int i = 0; i < 5; i++) {
            clock.addAndGet(LOOK);
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
