package io.purifier.engine.model;

import io.purifier.engine.TestModels;
import io.purifier.engine.nn.GradientRequest;
import io.purifier.engine.train.LossPass;
import io.purifier.engine.train.Objective;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Analytic gradients against central finite differences in double precision. */
class GradientCheckTest {

    private static final double H = 1e-6;
    private static final double MAX_REL_ERROR = 1e-5;

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @Test
    void small_cnn_with_batch_norm_in_eval_mode_has_exact_input_and_parameter_gradients() {
        EngineModel model = TestModels.createDouble("small-cnn", Map.of("width", 3, "hidden", 5, "batchNorm", true),
                TestModels.spec(1, 8, 3), 11);
        TestModels.randomizeBatchNorm(model, 5);
        check(model, BnMode.EVAL, List.of(GraphNames.INPUT, "conv1/W", "bn1/gamma", "bn1/beta", "bn2/gamma", "fc1/W", "fc2/b"));
    }

    @Test
    void small_cnn_with_batch_norm_in_train_mode_has_exact_gradients() {
        EngineModel model = TestModels.createDouble("small-cnn", Map.of("width", 3, "hidden", 5, "batchNorm", true),
                TestModels.spec(1, 8, 3), 12);
        TestModels.randomizeBatchNorm(model, 6);
        check(model, BnMode.TRAIN, List.of(GraphNames.INPUT, "conv1/W", "bn1/gamma", "conv2/W"));
    }

    @Test
    void preact_resnet18_in_eval_mode_has_exact_input_and_parameter_gradients() {
        EngineModel model = TestModels.createDouble("preact-resnet18", Map.of("widthMultiplier", 0.0625),
                TestModels.spec(3, 8, 3), 13);
        TestModels.randomizeBatchNorm(model, 7);
        check(model, BnMode.EVAL, List.of(GraphNames.INPUT, "layer1.0.bn1/gamma", "layer2.0.shortcut/W", "layer4.1.conv1/W"));
    }

    @Test
    void padded_and_average_pooling_trainable_channel_scales_and_a_strided_conv_have_exact_gradients() {
        GraphBuilder b = GraphBuilder.create("custom", Map.of(), 2, 9, 9, List.of("a", "b", "c"),
                io.purifier.api.data.Normalization.identity(2), 3, DataType.DOUBLE);
        String x = b.conv("conv1", b.input(), 2, 3, 3, 2, 1, true);
        x = b.node("scale", new io.purifier.engine.nn.layers.ChannelScale(3, true), true,
                Map.of("scale", ParamInit.constant(0.7)), x);
        x = b.node("maxpad", new io.purifier.engine.nn.layers.Pool2d(true, new int[]{2, 2}, new int[]{2, 2},
                new int[]{1, 1}, true, false), true, Map.of(), b.relu("relu1", x));
        x = b.node("avg", new io.purifier.engine.nn.layers.Pool2d(false, new int[]{2, 2}, new int[]{1, 1},
                new int[]{1, 1}, false, false), true, Map.of(), x);
        x = b.conv("conv2", x, 3, 4, 1, 2, 0, false);
        EngineModel model = b.finish(b.dense("fc", b.flatten("flatten", b.globalAvgPool("gap", x)), 4, 3));
        check(model, BnMode.EVAL, List.of(GraphNames.INPUT, "conv1/W", "conv1/b", "scale/scale", "conv2/W", "fc/W"));
    }

    /** Compares analytic gradients of {@code wrt} (arrays or {@link GraphNames#INPUT}) with central differences. */
    static void check(EngineModel model, BnMode mode, List<String> wrt) {
        int n = 3;
        INDArray x = TestModels.randomImages(21, n, model.info().channels(), model.info().height(), model.info().width())
                .castTo(DataType.DOUBLE);
        Objective loss = Objective.crossEntropy(new int[]{0, 1, 2});
        List<String> params = wrt.stream().filter(w -> !w.equals(GraphNames.INPUT)).toList();
        GradientRequest request = new GradientRequest(java.util.Set.copyOf(params), wrt.contains(GraphNames.INPUT));
        Map<String, INDArray> grads = new java.util.HashMap<>();
        try (LossPass p = LossPass.run(model, x, mode, request, loss, false)) {
            p.parameterGradients().forEach((k, v) -> grads.put(k, v.dup()));
            if (p.inputGradient() != null) {
                grads.put(GraphNames.INPUT, p.inputGradient().dup());
            }
        }
        Random rng = new Random(3);
        List<String> failures = new ArrayList<>();
        double worst = 0;
        for (String name : wrt) {
            INDArray target = name.equals(GraphNames.INPUT) ? x : model.array(name);
            INDArray g = grads.get(name);
            assertTrue(g != null, "no gradient for " + name + " in " + grads.keySet());
            long len = target.length();
            for (int k = 0; k < 3; k++) {
                long i = (long) (rng.nextDouble() * len);
                double orig = target.getDouble(i);
                target.putScalar(i, orig + H);
                double up = lossValue(model, x, mode, loss);
                target.putScalar(i, orig - H);
                double down = lossValue(model, x, mode, loss);
                target.putScalar(i, orig);
                double numeric = (up - down) / (2 * H);
                double analytic = g.getDouble(i);
                double denom = Math.abs(numeric) + Math.abs(analytic);
                double rel = denom < 1e-9 ? 0 : Math.abs(numeric - analytic) / denom;
                worst = Math.max(worst, rel);
                if (rel > MAX_REL_ERROR) {
                    failures.add(name + "[" + i + "]: analytic " + analytic + " numeric " + numeric + " rel " + rel);
                }
            }
        }
        assertTrue(failures.isEmpty(), "gradient mismatches (worst rel " + worst + "): " + failures);
    }

    private static double lossValue(EngineModel model, INDArray x, BnMode mode, Objective loss) {
        try (LossPass p = LossPass.run(model, x, mode, GradientRequest.NONE, loss, false)) {
            return p.loss();
        }
    }
}
