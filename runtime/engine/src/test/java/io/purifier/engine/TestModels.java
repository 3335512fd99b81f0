package io.purifier.engine;

import io.purifier.api.data.ImageSet;
import io.purifier.api.data.Normalization;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.model.GraphBuilder;
import io.purifier.engine.zoo.InputSpec;
import io.purifier.engine.zoo.ModelZoo;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;
import java.util.Random;

/** Tiny models and synthetic data shared by the engine tests. */
public final class TestModels {

    private TestModels() {
    }

    /** An input spec of {@code channels x size x size} with {@code classes} classes and a non-trivial normalization. */
    public static InputSpec spec(int channels, int size, int classes) {
        double[] mean = new double[channels];
        double[] std = new double[channels];
        for (int c = 0; c < channels; c++) {
            mean[c] = 0.4 + 0.05 * c;
            std[c] = 0.25 + 0.02 * c;
        }
        List<String> names = new java.util.ArrayList<>();
        for (int k = 0; k < classes; k++) {
            names.add("class" + k);
        }
        return new InputSpec(channels, size, size, names, new Normalization(mean, std));
    }

    /** A zoo model with the given parameters. */
    public static EngineModel create(String architecture, Map<String, ?> params, InputSpec spec, long seed) {
        var a = ModelZoo.architecture(architecture);
        return a.create(a.parameters().resolve(params), spec, seed);
    }

    /** A zoo model in double precision. */
    public static EngineModel createDouble(String architecture, Map<String, ?> params, InputSpec spec, long seed) {
        var a = ModelZoo.architecture(architecture);
        return a.create(a.parameters().resolve(params), spec, seed, DataType.DOUBLE);
    }

    /** Uniform random pixels {@code [n, c, h, w]} in [0, 1]. */
    public static INDArray randomImages(long seed, int n, int c, int h, int w) {
        Random rng = new Random(seed);
        float[] data = new float[n * c * h * w];
        for (int i = 0; i < data.length; i++) {
            data[i] = rng.nextFloat();
        }
        return Nd4j.create(data, new long[]{n, c, h, w}, 'c');
    }

    /**
     * A learnable synthetic set: class k is a bright square in quadrant k (of 4) on a noisy dark background.
     */
    public static ImageSet quadrants(long seed, int n, int size, int classes) {
        Random rng = new Random(seed);
        float[] data = new float[n * size * size];
        int[] labels = new int[n];
        int half = size / 2;
        for (int i = 0; i < n; i++) {
            int k = i % classes;
            labels[i] = k;
            int r0 = (k / 2) * half;
            int c0 = (k % 2) * half;
            for (int r = 0; r < size; r++) {
                for (int c = 0; c < size; c++) {
                    boolean in = r >= r0 + 1 && r < r0 + half - 1 && c >= c0 + 1 && c < c0 + half - 1;
                    float v = (in ? 0.6f : 0.1f) + 0.3f * rng.nextFloat();
                    data[(i * size + r) * size + c] = v;
                }
            }
        }
        List<String> names = new java.util.ArrayList<>();
        for (int k = 0; k < classes; k++) {
            names.add("q" + k);
        }
        return new ImageSet(Nd4j.create(data, new long[]{n, 1, size, size}, 'c'), labels, names);
    }

    /**
     * A BadNets-like trigger for {@link #quadrants} images: a bright 2x2 patch in the bottom-right corner (a quadrant
     * no class uses when there are 3 classes). Returns a new array.
     */
    public static INDArray withCornerTrigger(INDArray images) {
        INDArray out = images.dup('c');
        long h = images.size(2);
        long w = images.size(3);
        for (long i = 0; i < images.size(0); i++) {
            for (long c = 0; c < images.size(1); c++) {
                for (long y = h - 3; y < h - 1; y++) {
                    for (long x = w - 3; x < w - 1; x++) {
                        out.putScalar(new long[]{i, c, y, x}, 1.0);
                    }
                }
            }
        }
        return out;
    }

    /** {@code set} with every {@code every}-th image of another class triggered and relabelled {@code target}. */
    public static ImageSet poisoned(ImageSet set, int every, int target) {
        INDArray images = set.images().dup('c');
        int[] labels = set.labels();
        INDArray triggered = withCornerTrigger(images);
        int seen = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != target && seen++ % every == 0) {
                images.putSlice(i, triggered.slice(i));
                labels[i] = target;
            }
        }
        return new ImageSet(images, labels, set.classNames());
    }

    /** The images of {@code set} not of class {@code target}, triggered (the attack-success test set). */
    public static INDArray triggeredNonTarget(ImageSet set, int target) {
        List<Integer> keep = new java.util.ArrayList<>();
        for (int i = 0; i < set.size(); i++) {
            if (set.label(i) != target) {
                keep.add(i);
            }
        }
        return withCornerTrigger(set.subset(keep.stream().mapToInt(Integer::intValue).toArray()).images());
    }

    /**
     * A small CNN (width 8, hidden 16) trained on 12x12 quadrants (3 classes) of which a third of the non-target images
     * carry the corner trigger with label 0: it learns the task and the backdoor.
     */
    public static EngineModel backdooredQuadrantCnn(long seed) {
        EngineModel model = create("small-cnn", Map.of("width", 8, "hidden", 16), spec(1, 12, 3), seed);
        io.purifier.engine.train.Trainer.train(model, poisoned(quadrants(seed, 300, 12, 3), 3, 0),
                io.purifier.api.data.Augmentation.none(), null,
                new io.purifier.engine.train.TrainingConfig("sgd", 0.05, 0.9, 5e-4, "cosine", 6, 32),
                io.purifier.engine.run.LocalRunContext.quiet(seed));
        return model;
    }

    /** Share of {@code images} the model assigns to {@code target}. */
    public static double shareOf(EngineModel model, INDArray images, int target) {
        int[] predicted = io.purifier.engine.eval.Evaluator.predict(model, images);
        int hits = 0;
        for (int p : predicted) {
            hits += p == target ? 1 : 0;
        }
        return (double) hits / predicted.length;
    }

    /** Random labels in [0, classes). */
    public static int[] randomLabels(long seed, int n, int classes) {
        Random rng = new Random(seed);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = rng.nextInt(classes);
        }
        return out;
    }

    /** Fills every batch-norm layer's running stats, gamma and beta with non-trivial seeded values. */
    public static void randomizeBatchNorm(EngineModel model, long seed) {
        Random rng = new Random(seed);
        for (var bn : model.batchNormLayers()) {
            int c = bn.channels();
            model.assign(bn.runningMean(), Nd4j.create(doubles(rng, c, -0.5, 0.5), new long[]{c}, model.dataType()));
            model.assign(bn.runningVar(), Nd4j.create(doubles(rng, c, 0.5, 2.0), new long[]{c}, model.dataType()));
            model.assign(bn.gamma(), Nd4j.create(doubles(rng, c, 0.5, 1.5), new long[]{c}, model.dataType()));
            model.assign(bn.beta(), Nd4j.create(doubles(rng, c, -0.3, 0.3), new long[]{c}, model.dataType()));
        }
    }

    private static double[] doubles(Random rng, int n, double lo, double hi) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = lo + (hi - lo) * rng.nextDouble();
        }
        return out;
    }

    /** A small CNN trained on {@link #quadrants} (12x12, 3 classes) to well above 90% accuracy. */
    public static EngineModel trainedQuadrantCnn(long seed) {
        EngineModel model = create("small-cnn", Map.of("width", 4, "hidden", 16), spec(1, 12, 3), seed);
        io.purifier.engine.train.Trainer.train(model, quadrants(seed, 240, 12, 3), io.purifier.api.data.Augmentation.none(),
                null, new io.purifier.engine.train.TrainingConfig("sgd", 0.05, 0.9, 5e-4, "cosine", 3, 32),
                io.purifier.engine.run.LocalRunContext.quiet(seed));
        return model;
    }

    /** The loss of {@code objective} in {@code mode} (running statistics untouched). */
    public static double lossValue(EngineModel model, INDArray x, io.purifier.engine.model.BnMode mode,
                                   io.purifier.engine.train.Objective objective) {
        try (var p = io.purifier.engine.train.LossPass.run(model, x, mode, io.purifier.engine.nn.GradientRequest.NONE,
                objective, false)) {
            return p.loss();
        }
    }

    /** Copies of the gradients of {@code objective} with respect to {@code parameters} (running statistics untouched). */
    public static Map<String, INDArray> gradients(EngineModel model, INDArray x, io.purifier.engine.model.BnMode mode,
                                                  io.purifier.engine.train.Objective objective, String... parameters) {
        Map<String, INDArray> out = new java.util.HashMap<>();
        try (var p = io.purifier.engine.train.LossPass.run(model, x, mode,
                io.purifier.engine.nn.GradientRequest.parameters(List.of(parameters)), objective, false)) {
            p.parameterGradients().forEach((k, v) -> out.put(k, v.dup()));
        }
        return out;
    }

    /**
     * A DOUBLE-precision linear classifier {@code logits = flatten(x) W + b} on {@code 1 x 1 x features} images,
     * identity normalization, with the given weights {@code [features][classes]} and bias: a model whose gradients
     * and curvature are easy to compute by hand. Its dense layer is named {@code fc}.
     */
    public static EngineModel linear(double[][] weights, double[] bias) {
        int features = weights.length;
        int classes = bias.length;
        List<String> names = new java.util.ArrayList<>();
        for (int k = 0; k < classes; k++) {
            names.add("c" + k);
        }
        GraphBuilder b = GraphBuilder.create("linear", Map.of(), 1, 1,
                features, names, Normalization.identity(1), 1, DataType.DOUBLE);
        EngineModel model = b.finish(b.dense("fc", b.flatten("flat", b.input()), features, classes));
        model.assign("fc/W", Nd4j.create(flat(weights), new long[]{features, classes}, DataType.DOUBLE));
        model.assign("fc/b", Nd4j.create(bias, new long[]{classes}, DataType.DOUBLE));
        return model;
    }

    /** Rows of {@code features} values as {@code [N, 1, 1, features]} DOUBLE images for {@link #linear}. */
    public static INDArray rows(double[][] rows) {
        return Nd4j.create(flat(rows), new long[]{rows.length, 1, 1, rows[0].length}, DataType.DOUBLE);
    }

    private static double[] flat(double[][] m) {
        double[] out = new double[m.length * m[0].length];
        for (int i = 0; i < m.length; i++) {
            System.arraycopy(m[i], 0, out, i * m[0].length, m[0].length);
        }
        return out;
    }

    /** Casts to DOUBLE. */
    public static INDArray dbl(INDArray a) {
        return a.castTo(DataType.DOUBLE);
    }
}
