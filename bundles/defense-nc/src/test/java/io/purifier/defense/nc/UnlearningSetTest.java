package io.purifier.defense.nc;

import io.purifier.api.data.ImageSet;
import io.purifier.testkit.TinyData;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class UnlearningSetTest {

    @Test
    void keeps_the_first_share_clean_and_stamps_the_rest_once_per_trigger_under_true_labels() {
        ImageSet data = TinyData.quadrants(1, 10, 8, 3);
        Trigger a = new Trigger(1, 8, 8, filled(64, 1.0), filled(64, 0.0));
        Trigger b = new Trigger(1, 8, 8, filled(64, 0.5), filled(64, 1.0));

        ImageSet set = UnlearningSet.build(data, List.of(a, b), 0.2, new Random(4));

        assertEquals(8 + 2 + 2, set.size());
        int[] order = shuffled(10, new Random(4));
        for (int i = 0; i < 8; i++) {
            assertEquals(data.label(order[i]), set.label(i));
            assertEquals(data.images().get(NDArrayIndex.point(order[i])), set.images().get(NDArrayIndex.point(i)));
        }
        for (int i = 0; i < 2; i++) {
            int source = order[8 + i];
            INDArray original = data.images().get(NDArrayIndex.interval(source, source + 1));
            assertEquals(data.label(source), set.label(8 + i), "true label");
            assertEquals(data.label(source), set.label(10 + i), "true label");
            assertEquals(0.0, set.images().get(NDArrayIndex.point(8 + i)).sumNumber().doubleValue(), 0, "trigger a blacks out");
            assertEquals(b.stamp(original).get(NDArrayIndex.point(0)), set.images().get(NDArrayIndex.point(10 + i)));
        }
    }

    @Test
    void a_ratio_of_zero_leaves_the_clean_data_and_a_ratio_of_one_stamps_everything() {
        ImageSet data = TinyData.quadrants(1, 5, 8, 3);
        Trigger t = new Trigger(1, 8, 8, filled(64, 0.5), filled(64, 1.0));
        assertEquals(5, UnlearningSet.build(data, List.of(t), 0.0, new Random(1)).size());
        ImageSet all = UnlearningSet.build(data, List.of(t), 1.0, new Random(1));
        assertEquals(5, all.size());
        int[] labels = all.labels();
        Arrays.sort(labels);
        int[] expected = data.labels();
        Arrays.sort(expected);
        assertArrayEquals(expected, labels);
    }

    private static double[] filled(int n, double v) {
        double[] out = new double[n];
        Arrays.fill(out, v);
        return out;
    }

    private static int[] shuffled(int n, Random rng) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
