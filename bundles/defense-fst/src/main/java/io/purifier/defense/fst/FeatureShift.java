package io.purifier.defense.fst;

import io.purifier.engine.model.BnMode;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.nn.GradientRequest;
import io.purifier.engine.train.LossPass;
import io.purifier.engine.train.Objective;
import io.purifier.engine.train.Optimizer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The two pieces of FST around ordinary fine-tuning: the classifier's weights start fresh, at the original norm,
 * and every step minimises {@code CE + alpha <W, W0>} (pushing the classifier away from the backdoored one) and then
 * projects {@code W} back onto the sphere of radius {@code ||W0||}.
 */
final class FeatureShift {

    private final ClassifierHead head;
    private final INDArray original;
    private final double originalNorm;
    private final double alpha;

    /**
     * @param head     the classifier
     * @param original a copy of the backdoored classifier weights {@code W0}
     * @param alpha    weight of the inner-product term
     */
    FeatureShift(ClassifierHead head, INDArray original, double alpha) {
        this.head = head;
        this.original = original;
        this.originalNorm = original.castTo(DataType.DOUBLE).norm2Number().doubleValue();
        this.alpha = alpha;
    }

    /** {@code ||W0||}. */
    double originalNorm() {
        return originalNorm;
    }

    /**
     * Replaces the classifier weights of {@code model} with U(±1/sqrt(in)) draws (PyTorch's default for a linear
     * layer) rescaled to {@code ||W0||}; the bias keeps its value.
     */
    void reinitialize(EngineModel model, Random rng) {
        INDArray w = model.array(head.weight());
        double bound = 1 / Math.sqrt(head.in());
        double[] v = new double[(int) w.length()];
        double sq = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = (rng.nextDouble() * 2 - 1) * bound;
            sq += v[i] * v[i];
        }
        double scale = originalNorm / Math.sqrt(sq);
        for (int i = 0; i < v.length; i++) {
            v[i] *= scale;
        }
        model.assign(head.weight(), Nd4j.create(v, w.shape(), DataType.DOUBLE).castTo(w.dataType()));
    }

    /** The outcome of a step: the cross-entropy, the inner-product term {@code alpha <W, W0>} and a copy of the logits. */
    record Step(double crossEntropy, double shiftTerm, INDArray logits) {
    }

    /**
     * One step: gradients of the cross-entropy on the batch (batch norm in {@code mode}), {@code alpha W0} added to
     * the classifier weights' gradient, the optimiser's update, and the projection of {@code W} to norm
     * {@code ||W0||}.
     */
    Step step(EngineModel model, INDArray images, int[] labels, BnMode mode, Optimizer optimizer, double lr) {
        double shift = alpha * model.array(head.weight()).castTo(DataType.DOUBLE)
                .mul(original.castTo(DataType.DOUBLE)).sumNumber().doubleValue();
        Map<String, INDArray> gradients = new LinkedHashMap<>();
        double ce;
        INDArray logits;
        GradientRequest request = model.trainableRequest();
        try (LossPass p = LossPass.run(model, images, mode, request, Objective.crossEntropy(labels))) {
            ce = p.loss();
            logits = p.logits().dup('c');
            p.parameterGradients().forEach((name, g) -> gradients.put(name, g.dup('c')));
        }
        INDArray gw = gradients.get(head.weight());
        if (gw != null) {
            gw.addi(original.castTo(gw.dataType()).mul(alpha));
        }
        optimizer.step(model, gradients, lr);
        project(model);
        return new Step(ce, shift, logits);
    }

    /** {@code W <- W ||W0|| / ||W||}. */
    void project(EngineModel model) {
        INDArray w = model.array(head.weight());
        double norm = w.castTo(DataType.DOUBLE).norm2Number().doubleValue();
        if (norm > 0) {
            model.assign(head.weight(), w.castTo(DataType.DOUBLE).mul(originalNorm / norm).castTo(w.dataType()));
        }
    }

    /** Cosine similarity between the current classifier weights and {@code W0}. */
    double cosineToOriginal(EngineModel model) {
        INDArray w = model.array(head.weight()).castTo(DataType.DOUBLE);
        INDArray w0 = original.castTo(DataType.DOUBLE);
        return w.mul(w0).sumNumber().doubleValue() / (w.norm2Number().doubleValue() * originalNorm);
    }
}
