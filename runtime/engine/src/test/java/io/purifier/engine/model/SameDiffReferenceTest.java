package io.purifier.engine.model;

import io.purifier.api.data.Normalization;
import io.purifier.engine.nn.GradientRequest;
import io.purifier.engine.train.LossPass;
import io.purifier.engine.train.Objective;
import io.purifier.engine.train.Optimizer;
import io.purifier.engine.train.TrainStep;
import io.purifier.engine.zoo.Architecture;
import io.purifier.engine.zoo.InputSpec;
import io.purifier.engine.zoo.ModelZoo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's own execution against the SameDiff engine it replaced, on the same models, weights and inputs:
 * logits in both batch-norm modes, input gradients, parameter gradients in training mode, and parameters and running
 * statistics after two SGD steps. The reference values were written by the SameDiff engine (oneDNN natives) with
 * {@code src/test/resources/reference/MakeReference.java.txt} before it was removed.
 */
class SameDiffReferenceTest {

    private static final double TOLERANCE = 2e-4;
    private static Map<String, INDArray> reference;

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("small-cnn", "small-cnn", Map.of("width", 4, "hidden", 16), 1, 12,
                        List.of("conv1/W", "fc1/W", "fc2/b")),
                Arguments.of("small-cnn-bn", "small-cnn", Map.of("width", 4, "hidden", 16, "batchNorm", true), 1, 12,
                        List.of("conv2/W", "bn1/gamma", "bn2/beta")),
                Arguments.of("vgg-small", "vgg-small", Map.of("widthMultiplier", 0.125, "hidden", 8), 3, 16,
                        List.of("block1.conv1/W", "block2.bn1/gamma", "fc2/W")),
                Arguments.of("preact-resnet18", "preact-resnet18", Map.of("widthMultiplier", 0.0625), 3, 16,
                        List.of("conv1/W", "layer2.0.shortcut/W", "layer4.1.bn2/gamma", "linear/W")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matches_the_samediff_engine(String id, String arch, Map<String, Object> params, int channels, int size,
                                     List<String> probed) throws IOException {
        Map<String, INDArray> ref = reference();
        EngineModel m = model(arch, params, channels, size);
        INDArray x = ref.get(id + "/x").castTo(DataType.FLOAT);
        int[] y = {0, 1, 2, 3, 4, 0};
        List<String> failures = new ArrayList<>();
        compare(failures, id + "/logits_eval", m.logits(x));
        compare(failures, id + "/logits_train", m.activations(x, BnMode.TRAIN, GraphNames.LOGITS).get(GraphNames.LOGITS));
        try (LossPass p = LossPass.run(m, x, BnMode.EVAL, GradientRequest.inputOnly(), Objective.crossEntropy(y), false)) {
            compare(failures, id + "/input_grad_eval", p.inputGradient());
        }
        try (LossPass p = LossPass.run(m, x, BnMode.TRAIN, GradientRequest.parameters(Set.copyOf(probed)),
                Objective.crossEntropy(y), false)) {
            for (String param : probed) {
                compare(failures, id + "/grad_train/" + param, p.parameterGradients().get(param));
            }
        }
        Optimizer opt = Optimizer.sgd(0.9, 5e-4);
        for (int s = 0; s < 2; s++) {
            TrainStep.run(m, x, Objective.crossEntropy(y), opt, 0.05);
        }
        for (String param : probed) {
            compare(failures, id + "/after_2_steps/" + param, m.array(param));
        }
        if (!m.batchNormLayers().isEmpty()) {
            BatchNormLayer bn = m.batchNormLayers().get(0);
            compare(failures, id + "/after_2_steps/" + bn.runningMean(), m.array(bn.runningMean()));
            compare(failures, id + "/after_2_steps/" + bn.runningVar(), m.array(bn.runningVar()));
        }
        compare(failures, id + "/logits_after", m.logits(x));
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    private static EngineModel model(String arch, Map<String, Object> params, int channels, int size) {
        double[] mean = new double[channels];
        double[] std = new double[channels];
        for (int k = 0; k < channels; k++) {
            mean[k] = 0.4 + 0.05 * k;
            std[k] = 0.25 + 0.02 * k;
        }
        List<String> names = List.of("c0", "c1", "c2", "c3", "c4");
        Architecture a = ModelZoo.architecture(arch);
        EngineModel m = a.create(a.parameters().resolve(params),
                new InputSpec(channels, size, size, names, new Normalization(mean, std)), 7);
        Random rng = new Random(3);
        for (BatchNormLayer bn : m.batchNormLayers()) {
            int c = bn.channels();
            double[] rm = new double[c];
            double[] rv = new double[c];
            for (int k = 0; k < c; k++) {
                rm[k] = rng.nextDouble() - 0.5;
                rv[k] = 0.5 + rng.nextDouble();
            }
            m.assign(bn.runningMean(), Nd4j.create(rm, new long[]{c}, DataType.FLOAT));
            m.assign(bn.runningVar(), Nd4j.create(rv, new long[]{c}, DataType.FLOAT));
        }
        return m;
    }

    private static void compare(List<String> failures, String key, INDArray actual) throws IOException {
        INDArray expected = reference().get(key);
        assertNotNull(expected, "no reference value " + key);
        assertNotNull(actual, "no value computed for " + key);
        double[] e = expected.data().asDouble();
        double[] a = actual.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        if (e.length != a.length) {
            failures.add(key + ": " + a.length + " values, reference has " + e.length);
            return;
        }
        double scale = 0;
        for (double v : e) {
            scale = Math.max(scale, Math.abs(v));
        }
        double worst = 0;
        for (int i = 0; i < e.length; i++) {
            worst = Math.max(worst, Math.abs(e[i] - a[i]) / Math.max(scale, 1e-6));
        }
        if (worst > TOLERANCE) {
            failures.add(key + ": largest difference " + worst + " of the largest reference value " + scale);
        }
    }

    private static synchronized Map<String, INDArray> reference() throws IOException {
        if (reference != null) {
            return reference;
        }
        Map<String, INDArray> out = new HashMap<>();
        try (InputStream raw = SameDiffReferenceTest.class.getResourceAsStream("/reference/samediff-reference.bin");
             DataInputStream in = new DataInputStream(new BufferedInputStream(raw))) {
            for (String name = in.readUTF(); !name.equals("END"); name = in.readUTF()) {
                long[] shape = new long[in.readInt()];
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = in.readLong();
                }
                double[] v = new double[in.readInt()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = in.readDouble();
                }
                out.put(name, Nd4j.create(v, shape, DataType.DOUBLE));
            }
        }
        reference = out;
        return out;
    }
}
