package io.purifier.engine.model;

import io.purifier.api.data.Normalization;
import io.purifier.engine.nn.layers.Activation;
import io.purifier.engine.nn.layers.Concat;
import io.purifier.engine.nn.layers.Constant;
import io.purifier.engine.nn.layers.Conv2d;
import io.purifier.engine.nn.layers.Elementwise;
import io.purifier.engine.nn.layers.Pad2d;
import io.purifier.engine.nn.layers.Reshape;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The layers imported models need beyond the zoo's (grouped and depthwise convolutions, asymmetric constant padding,
 * leaky ReLU, sigmoid, tanh, clip, broadcasting arithmetic with constants and between computed tensors, concatenation,
 * reshapes) against double-precision central differences, with {@link GradientCheckTest}'s check.
 */
class ImportLayersGradientCheckTest {

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    /** Every new layer in one network, each of its arrays and the input checked. */
    private static EngineModel network() {
        return network(DataType.DOUBLE);
    }

    private static EngineModel network(DataType dt) {
        GraphBuilder b = GraphBuilder.create("import-layers", Map.of(), 2, 9, 9, List.of("a", "b", "c"),
                Normalization.identity(2), 5, dt);
        String x = b.node("grouped", new Conv2d(2, 4, new int[]{3, 3}, new int[]{1, 1}, new int[]{1, 1},
                new int[]{1, 1}, true, 2), true, Map.of(), b.input());
        x = b.node("pad", new Pad2d(0, 1, 2, 1, 0.25), true, Map.of(), x);
        x = b.node("leaky", Activation.leakyRelu(0.1), true, Map.of(), x);
        String dw = b.node("depthwise", new Conv2d(4, 4, new int[]{3, 3}, new int[]{2, 2}, new int[]{1, 1},
                new int[]{2, 2}, false, 4), true, Map.of(), x);
        String sig = b.node("sigmoid", Activation.sigmoid(), true, Map.of(), dw);
        String tanh = b.node("tanh", Activation.tanh(), true, Map.of(), dw);
        String scale = b.node("scale", new Constant(new long[]{4, 1, 1}), false, Map.of(), new String[0]);
        String scaled = b.node("mul_const", new Elementwise(Elementwise.Op.MUL), true, Map.of(), sig, scale);
        String diff = b.node("sub", new Elementwise(Elementwise.Op.SUB), true, Map.of(), tanh, scaled);
        String two = b.node("two", new Constant(new long[]{1}), false, Map.of(), new String[0]);
        String halved = b.node("div_const", new Elementwise(Elementwise.Op.DIV), true, Map.of(), diff, two);
        String gate = b.node("gate", new Reshape(new long[]{4, 1, 1}), false, Map.of(),
                b.globalAvgPool("gap", sig));
        String gated = b.node("mul_gate", new Elementwise(Elementwise.Op.MUL), true, Map.of(), diff, gate);
        String joined = b.node("cat", new Concat(1), true, Map.of(), halved, gated);
        String clipped = b.node("clip", Activation.clip(-0.3, 0.35), true, Map.of(), joined);
        String shifted = b.node("add_const", new Elementwise(Elementwise.Op.ADD), true, Map.of(),
                b.node("one", new Constant(new long[]{1}), false, Map.of(), new String[0]), clipped);
        EngineModel model = b.finish(b.dense("fc", b.flatten("flat", shifted), 8 * 5 * 5, 3));
        model.assign("scale/value", Nd4j.create(new double[]{0.5, -1.5, 2.0, 0.75}, new long[]{4, 1, 1}, DataType.DOUBLE).castTo(dt));
        model.assign("two/value", Nd4j.create(new double[]{2.0}, new long[]{1}, DataType.DOUBLE).castTo(dt));
        model.assign("one/value", Nd4j.create(new double[]{1.0}, new long[]{1}, DataType.DOUBLE).castTo(dt));
        return model;
    }

    @Test
    void float_models_match_double_precision_with_dilated_and_grouped_convolutions() {
        EngineModel exact = network(DataType.DOUBLE);
        EngineModel single = network(DataType.FLOAT);
        for (String name : exact.arrays().names()) {
            single.assign(name, exact.array(name).castTo(DataType.FLOAT));
        }
        var x = io.purifier.engine.TestModels.randomImages(9, 4, 2, 9, 9);
        double diff = exact.logits(x.castTo(DataType.DOUBLE)).sub(single.logits(x.castTo(DataType.FLOAT))
                .castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertEquals(0.0, diff, 1e-5, "FLOAT (oneDNN, spread dilated kernel) against DOUBLE");
    }

    @Test
    void shapes_follow_padding_groups_broadcasting_and_concatenation() {
        EngineModel model = network();
        assertArrayEquals(new long[]{3, 4, 11, 11}, model.outputShape("pad", 3));
        assertArrayEquals(new long[]{3, 4, 5, 5}, model.outputShape("depthwise", 3));
        assertArrayEquals(new long[]{3, 4, 5, 5}, model.outputShape("mul_gate", 3));
        assertArrayEquals(new long[]{3, 8, 5, 5}, model.outputShape("cat", 3));
        assertArrayEquals(new long[]{4, 1, 3, 3}, model.array("depthwise/W").shape(), "depthwise weights [out, in/groups, k, k]");
        assertArrayEquals(new long[]{4, 1, 3, 3}, model.array("grouped/W").shape());
    }

    @Test
    void new_layers_have_exact_input_and_parameter_gradients() {
        GradientCheckTest.check(network(), BnMode.EVAL,
                List.of(GraphNames.INPUT, "grouped/W", "grouped/b", "depthwise/W", "fc/W"));
    }

    @Test
    void new_layers_survive_the_model_file() throws Exception {
        EngineModel model = network();
        java.nio.file.Path file = java.nio.file.Files.createTempFile("import-layers", ".purifier");
        try {
            NativeModelFile.save(model, file);
            EngineModel back = NativeModelFile.load(file);
            var x = io.purifier.engine.TestModels.randomImages(4, 2, 2, 9, 9).castTo(DataType.DOUBLE);
            assertEquals(0.0, model.logits(x).sub(back.logits(x)).amaxNumber().doubleValue(), 0.0);
            assertEquals(model.network().nodes(), back.network().nodes());
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }
}
