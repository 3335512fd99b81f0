package io.purifier.data;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.ImageSet;
import io.purifier.data.testing.Fixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SubsetsTest {

    /** The first 300 Fashion-MNIST training images: 32 33 31 29 29 31 33 30 27 25 images of classes 0..9. */
    private static ImageSet fashion;

    @BeforeAll
    static void readFixture(@TempDir Path dir) {
        Path data = Fixtures.copyFashionMnistTiny(dir);
        fashion = IdxReader.read(data.resolve("train-images-idx3-ubyte.gz"), data.resolve("train-labels-idx1-ubyte.gz"), null);
    }

    private static int[] histogram(int[] labels, int numClasses) {
        int[] counts = new int[numClasses];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    @Test
    void a_fraction_gives_floor_of_n_f_over_k_images_per_class() {
        ImageSet subset = Subsets.balancedByFraction(fashion, 0.1, 7);

        // ⌊300 · 0.1 / 10⌋ = 3 per class.
        assertArrayEquals(new int[] {3, 3, 3, 3, 3, 3, 3, 3, 3, 3}, histogram(subset.labels(), 10));
        assertEquals(Subsets.perClassCountForFraction(300, 10, 0.05), 1);
        assertEquals(Subsets.perClassCountForFraction(50_000, 10, 0.05), 250);
    }

    @Test
    void a_count_gives_exactly_that_many_with_the_remainder_on_the_first_classes() {
        int[] indices = Subsets.balancedIndicesByCount(fashion.labels(), 10, 25, 7);
        int[] labels = Arrays.stream(indices).map(fashion::label).toArray();

        assertArrayEquals(new int[] {3, 3, 3, 3, 3, 2, 2, 2, 2, 2}, histogram(labels, 10));
    }

    @Test
    void indices_are_sorted_distinct_and_pick_the_right_images() {
        int[] indices = Subsets.balancedIndicesByCount(fashion.labels(), 10, 100, 3);
        ImageSet subset = Subsets.balancedByCount(fashion, 100, 3);

        assertArrayEquals(IntStream.of(indices).sorted().distinct().toArray(), indices);
        for (int k : new int[] {0, 57, 99}) {
            assertEquals(fashion.label(indices[k]), subset.label(k));
            assertEquals(fashion.images().getFloat(indices[k], 0, 14, 14), subset.images().getFloat(k, 0, 14, 14), 0f);
        }
    }

    @Test
    void the_same_seed_gives_the_same_subset_and_another_seed_another() {
        int[] a = Subsets.balancedIndicesByCount(fashion.labels(), 10, 50, 11);
        int[] b = Subsets.balancedIndicesByCount(fashion.labels(), 10, 50, 11);
        int[] c = Subsets.balancedIndicesByCount(fashion.labels(), 10, 50, 12);

        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
        assertEquals(ContentHash.of(Subsets.balancedByCount(fashion, 50, 11)), ContentHash.of(Subsets.balancedByCount(fashion, 50, 11)));
    }

    @Test
    void a_class_with_too_few_images_is_an_error_naming_it() {
        var e = assertThrows(InvalidInputException.class, () -> Subsets.balancedByCount(fashion, 300, 1));

        assertEquals("class 3 has only 29 images but a class-balanced subset of 300 images needs 30 per class", e.getMessage());
    }

    @Test
    void a_fraction_too_small_for_one_image_per_class_is_an_error() {
        var e = assertThrows(InvalidInputException.class, () -> Subsets.balancedByFraction(fashion, 0.02, 1));

        assertEquals("a fraction of 0.02 of 300 images in 10 classes gives ⌊N·f/K⌋ = 0 images per class; use a larger fraction",
                e.getMessage());
    }

    @Test
    void a_fraction_outside_zero_to_one_is_an_error() {
        var e = assertThrows(InvalidInputException.class, () -> Subsets.balancedByFraction(fashion, 1.5, 1));

        assertEquals("subset fraction must be in (0, 1], got 1.5", e.getMessage());
    }

    @Test
    void a_count_below_the_number_of_classes_is_an_error() {
        var e = assertThrows(InvalidInputException.class, () -> Subsets.balancedByCount(fashion, 9, 1));

        assertEquals("a class-balanced subset of 9 images cannot cover 10 classes; ask for at least 10", e.getMessage());
    }

    @Test
    void all_or_balanced_keeps_everything_for_zero_or_the_full_size_and_refuses_more_than_there_is() {
        assertSame(fashion, Subsets.allOrBalanced(fashion, 0, 1, "trainSize"));
        assertSame(fashion, Subsets.allOrBalanced(fashion, 300, 1, "trainSize"));
        assertEquals(40, Subsets.allOrBalanced(fashion, 40, 1, "trainSize").size());

        var e = assertThrows(InvalidInputException.class, () -> Subsets.allOrBalanced(fashion, 301, 1, "trainSize"));
        assertEquals("trainSize of 301 images was asked for but the data has only 300", e.getMessage());
        var tooFew = assertThrows(InvalidInputException.class, () -> Subsets.allOrBalanced(fashion, 290, 1, "trainSize"));
        assertEquals("trainSize: class 8 has only 27 images but a class-balanced subset of 290 images needs 29 per class",
                tooFew.getMessage());
    }

    @Test
    void split_gives_disjoint_parts_that_cover_the_set() {
        Subsets.Split split = Subsets.split(fashion, 0.2, 5);

        // ⌊300 · 0.2 / 10⌋ = 6 held out per class.
        assertArrayEquals(new int[] {6, 6, 6, 6, 6, 6, 6, 6, 6, 6}, histogram(split.heldOut().labels(), 10));
        assertEquals(240, split.kept().size());
        int[] all = IntStream.concat(IntStream.of(split.keptIndices()), IntStream.of(split.heldOutIndices())).sorted().toArray();
        assertArrayEquals(IntStream.range(0, 300).toArray(), all);
        assertEquals(fashion.label(split.keptIndices()[100]), split.kept().label(100));
        assertEquals(fashion.images().getFloat(split.heldOutIndices()[7], 0, 10, 10), split.heldOut().images().getFloat(7, 0, 10, 10), 0f);
    }

    @Test
    void split_is_deterministic_for_a_seed() {
        assertArrayEquals(Subsets.split(fashion, 0.1, 9).heldOutIndices(), Subsets.split(fashion, 0.1, 9).heldOutIndices());
    }
}
