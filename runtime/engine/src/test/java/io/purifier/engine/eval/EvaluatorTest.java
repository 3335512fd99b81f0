package io.purifier.engine.eval;

import io.purifier.api.data.ImageSet;
import io.purifier.api.data.Normalization;
import io.purifier.api.model.Model;
import io.purifier.api.model.ModelInfo;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Batched predictions for any Model implementation. */
class EvaluatorTest {

    /** Predicts the class whose index equals round(2 * first pixel), counting calls. */
    private static final class FirstPixelModel implements Model {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public ModelInfo info() {
            return new ModelInfo("first-pixel", 1, 2, 2, List.of("a", "b", "c"), Normalization.identity(1), List.of(), Map.of());
        }

        @Override
        public INDArray logits(INDArray images) {
            calls.incrementAndGet();
            long n = images.size(0);
            INDArray out = Nd4j.zeros(n, 3);
            for (int i = 0; i < n; i++) {
                out.putScalar(i, (int) Math.round(2 * images.getDouble(i, 0, 0, 0)), 1.0);
            }
            return out;
        }
    }

    @Test
    void batches_predictions_and_counts_accuracy() {
        int n = 600;
        float[] px = new float[n * 4];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            px[i * 4] = (i % 3) / 2f;
            labels[i] = i % 5 == 0 ? (i + 1) % 3 : i % 3;
        }
        ImageSet set = new ImageSet(Nd4j.create(px, new long[]{n, 1, 2, 2}, 'c'), labels, List.of("a", "b", "c"));
        FirstPixelModel model = new FirstPixelModel();
        assertEquals(0.8, Evaluator.accuracy(model, set), 1e-12);
        assertEquals(3, model.calls.get());
        assertArrayEquals(new int[]{0, 1, 2}, java.util.Arrays.copyOf(Evaluator.predict(model, set.images()), 3));
    }

    @Test
    void argmax_breaks_ties_towards_the_lowest_index_and_confusion_counts() {
        INDArray logits = Nd4j.create(new double[][]{{1, 1, 0}, {0, 2, 2}, {3, 0, 1}});
        assertArrayEquals(new int[]{0, 1, 0}, Evaluator.argMax(logits));
        long[][] c = Evaluator.confusion(new int[]{0, 1, 0}, new int[]{0, 2, 0}, 3);
        assertEquals(2, c[0][0]);
        assertEquals(1, c[2][1]);
    }

    @Test
    void gathers_rows_of_rank_four_tensors() {
        INDArray x = Nd4j.arange(24).reshape(3, 2, 2, 2).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
        INDArray g = Batches.gather(x, new int[]{2, 0});
        assertArrayEquals(new long[]{2, 2, 2, 2}, g.shape());
        assertEquals(x.getDouble(2, 1, 1, 0), g.getDouble(0, 1, 1, 0));
        assertEquals(x.getDouble(0, 0, 1, 1), g.getDouble(1, 0, 1, 1));
    }
}
