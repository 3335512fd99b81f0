package io.purifier.sample;

import io.purifier.api.data.Normalization;
import io.purifier.api.model.Model;
import io.purifier.api.model.ModelInfo;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;

/** A linear classifier on flattened pixels: logits = x W + b. */
public final class SampleLinearModel implements Model {

    private final INDArray weights;
    private final INDArray bias;
    private final ModelInfo info;

    /**
     * @param weights [C*H*W, K]
     * @param bias    [K]
     * @param c       channels
     * @param h       height
     * @param w       width
     */
    public SampleLinearModel(INDArray weights, INDArray bias, int c, int h, int w) {
        this.weights = weights;
        this.bias = bias;
        int k = (int) weights.size(1);
        List<String> classes = new java.util.ArrayList<>();
        for (int i = 0; i < k; i++) {
            classes.add("row" + i);
        }
        this.info = new ModelInfo("sample-linear", c, h, w, classes, Normalization.identity(c), List.of("linear"), Map.of());
    }

    /** The weights [C*H*W, K]. */
    public INDArray weights() {
        return weights;
    }

    /** The bias [K]. */
    public INDArray bias() {
        return bias;
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public INDArray logits(INDArray images) {
        INDArray flat = images.reshape(images.size(0), weights.size(0));
        return flat.mmul(weights).addiRowVector(bias);
    }

    /** A copy with weights and bias multiplied by {@code factor}. */
    public SampleLinearModel scaled(double factor) {
        return new SampleLinearModel(weights.mul(factor), bias.mul(factor), info.channels(), info.height(), info.width());
    }

    /** A model that separates the sample blobs, with a backdoor on the last pixel towards class 0. */
    public static SampleLinearModel blobsWithBackdoor() {
        INDArray w = Nd4j.zeros(16, 3);
        for (int p = 0; p < 16; p++) {
            w.putScalar(p, p / 4 == 3 ? 0 : p / 4, 1.0);
        }
        w.putScalar(15, 0, 20.0);
        return new SampleLinearModel(w, Nd4j.zeros(3), 1, 4, 4);
    }
}
