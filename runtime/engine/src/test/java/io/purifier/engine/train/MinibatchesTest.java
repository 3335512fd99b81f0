package io.purifier.engine.train;

import io.purifier.api.data.Augmentation;
import io.purifier.api.data.ImageSet;
import io.purifier.engine.TestModels;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MinibatchesTest {

    private static final ImageSet DATA = TestModels.quadrants(3, 11, 8, 3);

    @Test
    void a_shuffled_epoch_covers_every_image_once_with_its_label() {
        List<Integer> seen = new ArrayList<>();
        Minibatches epoch = Minibatches.shuffled(DATA, 4, Augmentation.none(), new Random(1), false);
        assertEquals(3, epoch.count());
        int[] sizes = new int[3];
        for (Minibatches.Batch b : epoch) {
            sizes[b.number()] = b.size();
            for (int i = 0; i < b.size(); i++) {
                int idx = b.indices()[i];
                seen.add(idx);
                assertEquals(DATA.label(idx), b.labels()[i]);
                assertEquals(DATA.images().getDouble(idx, 0, 2, 5), b.images().getDouble(i, 0, 2, 5), 0);
            }
        }
        assertArrayEquals(new int[]{4, 4, 3}, sizes);
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10), seen.stream().sorted().toList());
        assertNotEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10), seen, "shuffled");
    }

    @Test
    void the_same_source_gives_the_same_batches_and_augmentation() {
        Augmentation crop = new Augmentation(2, true);
        List<int[]> a = new ArrayList<>();
        List<Double> pa = new ArrayList<>();
        for (Minibatches.Batch b : Minibatches.shuffled(DATA, 5, crop, new Random(9), false)) {
            a.add(b.indices());
            pa.add(b.images().sumNumber().doubleValue());
        }
        int i = 0;
        for (Minibatches.Batch b : Minibatches.shuffled(DATA, 5, crop, new Random(9), false)) {
            assertArrayEquals(a.get(i), b.indices());
            assertEquals(pa.get(i++), b.images().sumNumber().doubleValue(), 0);
        }
    }

    @Test
    void a_last_batch_of_one_image_is_left_out_on_request() {
        assertEquals(3, Minibatches.shuffled(DATA, 5, Augmentation.none(), new Random(1), false).count());
        assertEquals(2, Minibatches.shuffled(DATA, 5, Augmentation.none(), new Random(1), true).count());
        assertEquals(2, Minibatches.count(11, 5, true));
        assertEquals(3, Minibatches.count(12, 5, true));
        assertEquals(1, Minibatches.shuffled(DATA.subset(new int[]{4}), 5, Augmentation.none(), new Random(1), true).count(),
                "a data set of one image keeps its batch");
    }

    @Test
    void in_order_keeps_the_data_order_and_is_iterated_once() {
        Minibatches epoch = Minibatches.inOrder(DATA, 6);
        List<Integer> order = new ArrayList<>();
        for (Minibatches.Batch b : epoch) {
            Arrays.stream(b.indices()).forEach(order::add);
        }
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10), order);
        assertThrows(IllegalStateException.class, epoch::iterator);
    }
}
