package io.purifier.engine.blocks;

import io.purifier.engine.TestModels;
import io.purifier.engine.model.BnMode;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.nn.GradientRequest;
import io.purifier.engine.train.LossPass;
import io.purifier.engine.train.Objective;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NeuronScalingTest {

    private static final int[] LABELS = {0, 1, 2, 1, 0, 2};

    @Test
    void targets_are_the_batch_norms_or_the_convolutions_in_forward_order() {
        var spec = TestModels.spec(1, 8, 3);
        EngineModel plain = TestModels.create("small-cnn", Map.of("width", 2), spec, 1);
        EngineModel bn = TestModels.create("small-cnn", Map.of("width", 2, "batchNorm", true), spec, 1);
        List<NeuronScaling.Target> convs = NeuronScaling.convolutionTargets(plain);
        assertEquals(List.of("conv1", "conv2"), convs.stream().map(NeuronScaling.Target::layer).toList());
        assertEquals(new NeuronScaling.Target("conv2", NeuronScaling.Kind.CONVOLUTION, "conv2/W", "conv2/b", 4), convs.get(1));
        assertNull(NeuronScaling.convolutionTargets(bn).get(0).bias(), "convolutions before batch norm have no bias");
        assertEquals(List.of(new NeuronScaling.Target("bn1", NeuronScaling.Kind.BATCH_NORM, "bn1/gamma", "bn1/beta", 2),
                new NeuronScaling.Target("bn2", NeuronScaling.Kind.BATCH_NORM, "bn2/gamma", "bn2/beta", 4)),
                NeuronScaling.batchNormTargets(bn));
        EngineModel resnet = TestModels.create("preact-resnet18", Map.of("widthMultiplier", 0.125), spec, 1);
        assertEquals(16, NeuronScaling.batchNormTargets(resnet).size());
        assertEquals(0, NeuronScaling.batchNormTargets(plain).size());
    }

    @Test
    void coefficients_scale_the_weight_and_bias_parts_and_restore_brings_back_the_exact_originals() {
        EngineModel m = TestModels.createDouble("small-cnn", Map.of("width", 2), TestModels.spec(1, 8, 3), 2);
        EngineModel original = m.copy();
        NeuronScaling s = NeuronScaling.of(m, NeuronScaling.convolutionTargets(m));
        s.apply(new double[][]{{0.5, 2}, {1, 1, 0, 3}}, new double[][]{{1, 1}, {1, -1, 1, 1}});
        assertEquals(original.array("conv1/W").getDouble(1, 0, 2, 1) * 2, m.array("conv1/W").getDouble(1, 0, 2, 1), 0);
        assertEquals(original.array("conv1/W").getDouble(0, 0, 0, 0) * 0.5, m.array("conv1/W").getDouble(0, 0, 0, 0), 0);
        assertEquals(0.0, m.array("conv2/W").get(NDArrayIndex.point(2)).amaxNumber().doubleValue(), 0);
        assertEquals(-original.array("conv2/b").getDouble(1), m.array("conv2/b").getDouble(1), 0);
        // with a zero weight coefficient the channel's output is its (scaled) bias everywhere
        INDArray x = TestModels.randomImages(3, 4, 1, 8, 8);
        INDArray out = m.activations(x, BnMode.EVAL, "conv2").get("conv2");
        assertEquals(m.array("conv2/b").getDouble(2), out.get(NDArrayIndex.all(), NDArrayIndex.point(2)).minNumber().doubleValue(), 1e-15);
        assertEquals(m.array("conv2/b").getDouble(2), out.get(NDArrayIndex.all(), NDArrayIndex.point(2)).maxNumber().doubleValue(), 1e-15);
        s.apply(new double[][]{{1, 1}, {1, 1, 1, 1}}, null);
        for (String p : original.parameterNames()) {
            assertEquals(original.array(p), m.array(p), "ones change nothing: " + p);
        }
        s.apply(new double[][]{{3, 3}, {3, 3, 3, 3}}, new double[][]{{3, 3}, {3, 3, 3, 3}});
        s.restore();
        for (String p : original.parameterNames()) {
            assertEquals(original.array(p), m.array(p), p);
        }
    }

    @Test
    void coefficient_gradients_match_central_differences_for_batch_norm_and_convolution_targets() {
        var spec = TestModels.spec(1, 8, 3);
        INDArray x = TestModels.randomImages(4, LABELS.length, 1, 8, 8).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        for (boolean batchNorm : new boolean[]{true, false}) {
            EngineModel m = TestModels.createDouble("small-cnn", Map.of("width", 2, "batchNorm", batchNorm), spec, 5);
            List<NeuronScaling.Target> targets = batchNorm ? NeuronScaling.batchNormTargets(m) : NeuronScaling.convolutionTargets(m);
            if (batchNorm) {
                Random r = new Random(1);
                for (var t : targets) {
                    for (int k = 0; k < t.neurons(); k++) {
                        m.array(t.bias()).putScalar(k, r.nextGaussian());
                    }
                }
            }
            NeuronScaling s = NeuronScaling.of(m, targets);
            double[][] w = {{0.9, 1.2}, {0.7, 1.1, 0.4, 1.3}};
            double[][] v = {{1.1, 0.8}, {1.2, 0.9, 1.05, 0.6}};
            s.apply(w, v);
            NeuronScaling.CoefficientGradients g;
            try (LossPass p = LossPass.run(m, x, BnMode.TRAIN, GradientRequest.parameters(s.parameters()),
                    Objective.crossEntropy(LABELS), false)) {
                g = s.coefficientGradients(p.parameterGradients());
            }
            double h = 1e-6;
            for (int i = 0; i < 2; i++) {
                for (int k = 0; k < w[i].length; k++) {
                    double[][] wp = copy(w);
                    double[][] wm = copy(w);
                    wp[i][k] += h;
                    wm[i][k] -= h;
                    double numeric = (loss(m, s, x, wp, v) - loss(m, s, x, wm, v)) / (2 * h);
                    assertEquals(numeric, g.weight()[i][k], 1e-7, "batchNorm " + batchNorm + " dL/dw[" + i + "][" + k + "]");
                    double[][] vp = copy(v);
                    double[][] vm = copy(v);
                    vp[i][k] += h;
                    vm[i][k] -= h;
                    double numericBias = (loss(m, s, x, w, vp) - loss(m, s, x, w, vm)) / (2 * h);
                    assertEquals(numericBias, g.bias()[i][k], 1e-7, "batchNorm " + batchNorm + " dL/dv[" + i + "][" + k + "]");
                }
            }
        }
    }

    @Test
    void pruning_zeroes_only_the_weight_part_of_one_neuron() {
        EngineModel m = TestModels.create("small-cnn", Map.of("width", 2, "batchNorm", true), TestModels.spec(1, 8, 3), 1);
        m.array("bn2/beta").assign(0.25);
        EngineModel before = m.copy();
        var bn2 = NeuronScaling.batchNormTargets(m).get(1);
        NeuronScaling.pruneWeight(m, bn2, 3);
        assertEquals(0.0, m.array("bn2/gamma").getDouble(3), 0);
        assertEquals(before.array("bn2/gamma").getDouble(2), m.array("bn2/gamma").getDouble(2), 0);
        assertEquals(before.array("bn2/beta"), m.array("bn2/beta"));
        EngineModel c = TestModels.create("small-cnn", Map.of("width", 2), TestModels.spec(1, 8, 3), 1);
        EngineModel cBefore = c.copy();
        var conv2 = NeuronScaling.convolutionTargets(c).get(1);
        NeuronScaling.pruneWeight(c, conv2, 1);
        assertEquals(0.0, c.array("conv2/W").get(NDArrayIndex.point(1)).amaxNumber().doubleValue(), 0);
        assertEquals(cBefore.array("conv2/W").get(NDArrayIndex.point(0)), c.array("conv2/W").get(NDArrayIndex.point(0)));
        assertEquals(cBefore.array("conv2/b"), c.array("conv2/b"));
        assertThrows(io.purifier.api.InvalidInputException.class, () -> NeuronScaling.pruneWeight(c, conv2, 4));
    }

    @Test
    void rejects_coefficients_of_the_wrong_shape_and_a_model_without_targets() {
        EngineModel m = TestModels.create("small-cnn", Map.of("width", 2), TestModels.spec(1, 8, 3), 1);
        NeuronScaling s = NeuronScaling.of(m, NeuronScaling.convolutionTargets(m));
        assertThrows(IllegalArgumentException.class, () -> s.apply(new double[][]{{1, 1}}, null));
        assertThrows(IllegalArgumentException.class, () -> s.apply(new double[][]{{1, 1}, {1, 1, 1}}, null));
        assertThrows(io.purifier.api.InvalidInputException.class, () -> NeuronScaling.of(m, NeuronScaling.batchNormTargets(m)));
    }

    private static double loss(EngineModel m, NeuronScaling s, INDArray x, double[][] w, double[][] v) {
        s.apply(w, v);
        try (LossPass p = LossPass.run(m, x, BnMode.TRAIN, GradientRequest.NONE, Objective.crossEntropy(LABELS), false)) {
            return p.loss();
        }
    }

    private static double[][] copy(double[][] a) {
        double[][] out = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].clone();
        }
        return out;
    }
}
