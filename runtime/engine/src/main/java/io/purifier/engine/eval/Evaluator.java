package io.purifier.engine.eval;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.ImageSet;
import io.purifier.api.model.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.List;

/** Batched inference for any {@link Model}: logits, predicted classes, accuracy. */
public final class Evaluator {

    /** Default images per inference batch. */
    public static final int DEFAULT_BATCH = 256;

    private Evaluator() {
    }

    /** Logits {@code [N, K]} computed in batches of {@code batchSize}. */
    public static INDArray logits(Model model, INDArray images, int batchSize) {
        if (batchSize < 1) {
            throw new InvalidInputException("batchSize must be at least 1, got " + batchSize);
        }
        long n = images.size(0);
        if (n <= batchSize) {
            return model.logits(images);
        }
        List<INDArray> parts = new ArrayList<>();
        for (long start = 0; start < n; start += batchSize) {
            parts.add(model.logits(images.get(NDArrayIndex.interval(start, Math.min(n, start + batchSize)))));
        }
        return Nd4j.concat(0, parts.toArray(INDArray[]::new));
    }

    /** Predicted class per image (arg-max of the logits; the lowest index wins ties). */
    public static int[] predict(Model model, INDArray images) {
        return argMax(logits(model, images, DEFAULT_BATCH));
    }

    /** Fraction of {@code set} classified correctly. */
    public static double accuracy(Model model, ImageSet set) {
        return accuracy(predict(model, set.images()), set.labels());
    }

    /** Fraction of positions where {@code predicted} equals {@code labels}. */
    public static double accuracy(int[] predicted, int[] labels) {
        if (predicted.length != labels.length) {
            throw new IllegalArgumentException(predicted.length + " predictions but " + labels.length + " labels");
        }
        if (labels.length == 0) {
            return 0;
        }
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predicted[i] == labels[i]) {
                correct++;
            }
        }
        return (double) correct / labels.length;
    }

    /** Row-wise arg-max of a {@code [N, K]} matrix (the lowest index wins ties). */
    public static int[] argMax(INDArray logits) {
        int n = (int) logits.size(0);
        int k = (int) logits.size(1);
        double[] v = logits.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c').data().asDouble();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int j = 1; j < k; j++) {
                if (v[i * k + j] > v[i * k + best]) {
                    best = j;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /** Confusion counts {@code [true][predicted]}. */
    public static long[][] confusion(int[] predicted, int[] labels, int numClasses) {
        long[][] out = new long[numClasses][numClasses];
        for (int i = 0; i < labels.length; i++) {
            out[labels[i]][predicted[i]]++;
        }
        return out;
    }
}
