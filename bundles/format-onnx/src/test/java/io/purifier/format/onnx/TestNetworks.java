package io.purifier.format.onnx;

import io.purifier.api.data.Normalization;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.model.GraphBuilder;
import io.purifier.engine.model.GraphNames;
import io.purifier.engine.nn.layers.Activation;
import io.purifier.engine.nn.layers.Concat;
import io.purifier.engine.nn.layers.Constant;
import io.purifier.engine.nn.layers.Conv2d;
import io.purifier.engine.nn.layers.Elementwise;
import io.purifier.engine.nn.layers.Pad2d;
import io.purifier.engine.nn.layers.Pool2d;
import io.purifier.engine.nn.layers.Reshape;
import io.purifier.engine.zoo.InputSpec;
import io.purifier.engine.zoo.ModelZoo;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;
import java.util.Random;

/** Engine models for the export tests: zoo models with non-trivial batch norms, and networks of every layer type. */
final class TestNetworks {

    static final Normalization FASHION = new Normalization(new double[]{Samples.MEAN}, new double[]{Samples.STD});
    static final List<String> CLASSES = List.of("t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt",
            "sneaker", "bag", "boot");

    private TestNetworks() {
    }

    /** A zoo model on 1x28x28 Fashion-MNIST-shaped input with random batch-norm statistics. */
    static EngineModel zoo(String architecture, Map<String, ?> params, long seed) {
        var a = ModelZoo.architecture(architecture);
        EngineModel m = a.create(a.parameters().resolve(params), new InputSpec(1, 28, 28, CLASSES, FASHION), seed);
        randomizeBatchNorm(m, seed);
        return m;
    }

    /** Fills every batch norm's statistics, gamma and beta with seeded values. */
    static void randomizeBatchNorm(EngineModel model, long seed) {
        Random rng = new Random(seed);
        for (var bn : model.batchNormLayers()) {
            int c = bn.channels();
            model.assign(bn.runningMean(), vector(rng, c, -0.5, 0.5));
            model.assign(bn.runningVar(), vector(rng, c, 0.5, 2.0));
            model.assign(bn.gamma(), vector(rng, c, 0.5, 1.5));
            model.assign(bn.beta(), vector(rng, c, -0.3, 0.3));
        }
    }

    private static INDArray vector(Random rng, int n, double lo, double hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (lo + (hi - lo) * rng.nextDouble());
        }
        return Nd4j.create(v, new long[]{n}, 'c');
    }

    /**
     * Every layer type the importer creates beyond the zoo's (grouped, dilated and depthwise convolutions, padding,
     * leaky ReLU, sigmoid, tanh, clip, broadcasting arithmetic with constants, concatenation, average pooling with
     * ceil mode, reshapes) in one 1x28x28 network.
     */
    static EngineModel everyLayer() {
        GraphBuilder b = GraphBuilder.create("every-layer", Map.of(), 1, 28, 28, CLASSES, FASHION, 7, DataType.FLOAT);
        String x = b.conv("stem", b.input(), 1, 8, 3, 2, 1, true);
        x = b.node("leaky", Activation.leakyRelu(0.1), true, Map.of(), x);
        String grouped = b.node("grouped", new Conv2d(8, 8, new int[]{3, 3}, new int[]{1, 1}, new int[]{2, 2},
                new int[]{2, 2}, true, 4), true, Map.of(), x);
        String padded = b.node("pad", new Pad2d(0, 1, 2, 1, 0.0), true, Map.of(), x);
        String depthwise = b.node("depthwise", new Conv2d(8, 8, new int[]{3, 3}, new int[]{1, 1}, new int[]{0, 0},
                new int[]{1, 1}, false, 8), true, Map.of(), padded);
        String gate = b.node("sigmoid", Activation.sigmoid(), true, Map.of(), grouped);
        String scale = b.node("scale", new Constant(new long[]{8, 1, 1}), false, Map.of(), new String[0]);
        String scaled = b.node("scaled", new Elementwise(Elementwise.Op.MUL), true, Map.of(), gate, scale);
        String tanh = b.node("tanh", Activation.tanh(), true, Map.of(), depthwise);
        String diff = b.node("diff", new Elementwise(Elementwise.Op.SUB), true, Map.of(), scaled, tanh);
        String joined = b.node("cat", new Concat(1), true, Map.of(), diff, tanh);
        String pooled = b.node("avg", new Pool2d(false, new int[]{3, 3}, new int[]{2, 2}, new int[]{1, 1}, true,
                false), true, Map.of(), joined);
        String clipped = b.node("clip", Activation.clip(-0.8, 0.9), true, Map.of(), pooled);
        String two = b.node("two", new Constant(new long[]{1}), false, Map.of(), new String[0]);
        String halved = b.node("halved", new Elementwise(Elementwise.Op.DIV), true, Map.of(), clipped, two);
        String gap = b.node("gate_view", new Reshape(new long[]{16, 1, 1}), false, Map.of(),
                b.globalAvgPool("gap", halved));
        String gated = b.node("gated", new Elementwise(Elementwise.Op.MUL), true, Map.of(), halved, gap);
        String shaped = b.node("shaped", new Reshape(new long[]{16, 64}), false, Map.of(), gated);
        EngineModel m = b.finish(b.dense("fc", b.flatten("flat", shaped), 16 * 64, 10));
        m.assign("scale/value", Nd4j.create(new float[]{0.5f, -1.5f, 2f, 0.75f, 1f, -0.25f, 1.25f, 0.1f},
                new long[]{8, 1, 1}, 'c'));
        m.assign("two/value", Nd4j.create(new float[]{2f}, new long[]{1}, 'c'));
        return m;
    }

    /** A model that reads its raw pixels besides the normalization (so its export keeps the normalization). */
    static EngineModel pixelSkip() {
        GraphBuilder b = GraphBuilder.create("pixel-skip", Map.of(), 1, 28, 28, CLASSES, FASHION, 8, DataType.FLOAT);
        String a = b.conv("conv_norm", b.input(), 1, 4, 3, 1, 1, true);
        String raw = b.conv("conv_raw", GraphNames.INPUT, 1, 4, 3, 1, 1, true);
        String sum = b.add("sum", a, raw);
        return b.finish(b.dense("fc", b.flatten("flat", b.relu("relu", sum)), 4 * 28 * 28, 10));
    }
}
