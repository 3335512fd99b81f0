package io.purifier.defense.bcu;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TeacherLabelsTest {

    @Test
    void counts_shares_and_the_top_class() {
        TeacherLabels l = TeacherLabels.of(new int[]{2, 0, 2, 1, 2}, 4);
        assertArrayEquals(new long[]{1, 1, 3, 0}, l.counts());
        assertEquals(2, l.topClass());
        assertEquals(0.6, l.topShare(), 1e-12);
        assertEquals("0: 0.20, 1: 0.20, 2: 0.60, 3: 0.00", l.describe());
    }

    @Test
    void warns_only_when_one_class_takes_more_than_half_and_names_it() {
        assertTrue(TeacherLabels.of(new int[]{0, 0, 1, 1}, 2).warning("a").isEmpty(), "exactly half is no warning");
        String w = TeacherLabels.of(new int[]{0, 0, 0, 1}, 2).warning("T-shirt/top").orElseThrow();
        assertTrue(w.startsWith("bcu: the teacher assigns 75% of the unlabeled images to class 0 ('T-shirt/top')"), w);
        assertTrue(TeacherLabels.of(new int[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 10).warning("x").isEmpty());
    }

    @Test
    void ties_go_to_the_lowest_class() {
        assertEquals(1, TeacherLabels.of(new int[]{1, 3, 1, 3}, 4).topClass());
    }
}
