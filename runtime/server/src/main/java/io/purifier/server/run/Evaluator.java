package io.purifier.server.run;

import io.purifier.api.attack.PoisonedData;
import io.purifier.api.data.ImageSet;
import io.purifier.api.metric.Evaluation;
import io.purifier.api.model.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Computes a model's predictions on the clean and poisoned test sets, refusing non-finite outputs. */
final class Evaluator {

    static final int BATCH = 256;

    private Evaluator() {
    }

    /**
     * Predictions of {@code model} on {@code cleanTest} and, if present, on the poisoned test set.
     *
     * @throws IllegalStateException when the model outputs NaN or infinite logits, or the wrong number of classes
     */
    static Evaluation evaluate(Model model, ImageSet cleanTest, PoisonedData poisoned, int numClasses) {
        int[] clean = predict(model, cleanTest.images(), numClasses, "clean test set");
        if (poisoned == null) {
            return new Evaluation(numClasses, cleanTest.labels(), clean, null, null, null);
        }
        int[] bad = predict(model, poisoned.poisonedTest().images(), numClasses, "poisoned test set");
        return new Evaluation(numClasses, cleanTest.labels(), clean, poisoned.poisonedTest().labels(),
                poisoned.testTargets(), bad);
    }

    /** Arg-max predictions in batches of {@value #BATCH}. */
    static int[] predict(Model model, INDArray images, int numClasses, String what) {
        int n = (int) images.size(0);
        int[] out = new int[n];
        for (int start = 0; start < n; start += BATCH) {
            int end = Math.min(n, start + BATCH);
            INDArray batch = images.get(NDArrayIndex.interval(start, end), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
            INDArray logits = model.logits(batch);
            if (logits.rank() != 2 || logits.size(0) != end - start || logits.size(1) != numClasses) {
                throw new IllegalStateException("the model returned logits of shape " + java.util.Arrays.toString(logits.shape())
                        + " for " + (end - start) + " images of the " + what + "; expected [" + (end - start) + ", " + numClasses + "]");
            }
            if (logits.isNaN().any() || logits.isInfinite().any()) {
                throw new IllegalStateException("the model produced NaN or infinite outputs on the " + what);
            }
            INDArray argMax = logits.argMax(1);
            for (int i = 0; i < end - start; i++) {
                out[start + i] = argMax.getInt(i);
            }
        }
        return out;
    }
}
