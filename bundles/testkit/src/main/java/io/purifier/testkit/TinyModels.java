package io.purifier.testkit;

import io.purifier.api.data.Augmentation;
import io.purifier.api.data.ImageSet;
import io.purifier.api.data.Normalization;
import io.purifier.engine.eval.Evaluator;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.model.GraphBuilder;
import io.purifier.engine.run.LocalRunContext;
import io.purifier.engine.train.Trainer;
import io.purifier.engine.train.TrainingConfig;
import io.purifier.engine.zoo.Architecture;
import io.purifier.engine.zoo.InputSpec;
import io.purifier.engine.zoo.ModelZoo;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Tiny zoo models for plugin tests: created fresh, trained on {@link TinyData}, or trained with a backdoor. The
 * trained ones are trained once per test JVM and arguments and handed out as fresh copies, so the test classes of a
 * module (its contract test and its own tests) share one training when they ask for the same model.
 */
public final class TinyModels {

    /** Side of the images of the trained tiny models. */
    public static final int SIZE = 12;
    /** Classes of the trained tiny models. */
    public static final int CLASSES = 3;
    /** The backdoor target of {@link #backdooredCnn}. */
    public static final int TARGET = 0;

    private TinyModels() {
    }

    /** {@code channels x size x size} inputs, {@code classes} classes, a non-trivial normalization. */
    public static InputSpec spec(int channels, int size, int classes) {
        double[] mean = new double[channels];
        double[] std = new double[channels];
        for (int c = 0; c < channels; c++) {
            mean[c] = 0.3 + 0.05 * c;
            std[c] = 0.3;
        }
        return new InputSpec(channels, size, size, TinyData.classNames(classes), new Normalization(mean, std));
    }

    /** A freshly initialised zoo model. */
    public static EngineModel create(String architecture, Map<String, ?> params, InputSpec spec, long seed) {
        Architecture a = ModelZoo.architecture(architecture);
        return a.create(a.parameters().resolve(params), spec, seed);
    }

    /** A freshly initialised zoo model in double precision (for exact gradient checks). */
    public static EngineModel createDouble(String architecture, Map<String, ?> params, InputSpec spec, long seed) {
        Architecture a = ModelZoo.architecture(architecture);
        return a.create(a.parameters().resolve(params), spec, seed, DataType.DOUBLE);
    }

    /**
     * Softmax regression in double precision: the input flattened (layer {@code flatten}) into one dense layer
     * {@code fc} (parameters {@code fc/W}, {@code fc/b}), random weights from {@code seed}. Small enough to check a
     * defense's updates by hand: assign the weights, run one step, compare with the hand-computed values.
     */
    public static EngineModel linear(InputSpec spec, long seed) {
        GraphBuilder b = GraphBuilder.create("tiny-linear", Map.of(), spec.channels(), spec.height(), spec.width(),
                spec.classNames(), spec.normalization(), seed, DataType.DOUBLE);
        return b.finish(b.dense("fc", b.flatten("flatten", b.input()),
                spec.channels() * spec.height() * spec.width(), spec.classNames().size()));
    }

    /**
     * An untrained small CNN (convolutions {@code conv1} with 4 and {@code conv2} with 8 channels, hidden layer of
     * 16) on 1-channel {@code size x size} images of {@code classes} classes, with random weights from {@code seed}.
     */
    public static EngineModel cnn(int size, int classes, long seed) {
        return create("small-cnn", Map.of("width", 4, "hidden", 16), spec(1, size, classes), seed);
    }

    /**
     * An untrained PreAct-ResNet-18 at 1/32 width (stages of 2, 4, 8 and 16 channels, batch norm before every
     * convolution, blocks named {@code layer1.0} to {@code layer4.1} as in the reference) on 1-channel {@code size x size} images of
     * {@code classes} classes, with random weights from {@code seed}: the residual architecture with named stages
     * that defenses tuned for ResNets expect.
     */
    public static EngineModel preActResNet(int size, int classes, long seed) {
        return create("preact-resnet18", Map.of("widthMultiplier", 0.03125), spec(1, size, classes), seed);
    }

    /**
     * A small CNN (width 4, hidden 16; with batch norm when asked) trained 6 epochs on 120 clean quadrant images; a
     * fresh copy of the one trained for these arguments in this JVM.
     */
    public static EngineModel cleanCnn(long seed, boolean batchNorm) {
        return trained("clean " + seed + " " + batchNorm, () -> train(TinyData.quadrants(seed, 120, SIZE, CLASSES), seed, batchNorm));
    }

    /**
     * A small CNN trained 6 epochs on 150 quadrant images of which every third non-target one carries the trigger
     * and is labelled {@link #TARGET}: it learns both the task and the backdoor. A fresh copy of the one trained for
     * these arguments in this JVM.
     */
    public static EngineModel backdooredCnn(long seed, boolean batchNorm) {
        return trained("backdoored " + seed + " " + batchNorm,
                () -> train(TinyData.poisoned(seed, 150, SIZE, CLASSES, TARGET, 3), seed, batchNorm));
    }

    /** Side of the images of {@link #backdooredBarsCnn}. */
    public static final int BARS_SIZE = 16;
    /** Classes of {@link #backdooredBarsCnn}. */
    public static final int BARS_CLASSES = 6;

    /**
     * A small CNN trained 8 epochs on 240 {@link TinyData#bars} images (16x16, 6 classes) of which every third
     * non-target one carries the trigger and is labelled {@link #TARGET}. A fresh copy of the one trained for this
     * seed in this JVM.
     */
    public static EngineModel backdooredBarsCnn(long seed) {
        return trained("bars " + seed, () -> trainBars(seed));
    }

    private static EngineModel trainBars(long seed) {
        ImageSet data = TinyData.poisoned(TinyData.bars(seed, 240, BARS_SIZE, BARS_CLASSES), TARGET, 3);
        EngineModel model = create("small-cnn", Map.of("width", 4, "hidden", 24),
                spec(1, BARS_SIZE, BARS_CLASSES), seed);
        Trainer.train(model, data, Augmentation.none(), null,
                new TrainingConfig("adam", 0.01, 0.9, 0, "constant", 8, 16), LocalRunContext.quiet(seed));
        return model;
    }

    /** Share of {@code images} the model puts into {@code target}. */
    public static double attackSuccess(EngineModel model, INDArray images, int target) {
        int[] predicted = Evaluator.predict(model, images);
        int hits = 0;
        for (int p : predicted) {
            if (p == target) {
                hits++;
            }
        }
        return (double) hits / predicted.length;
    }

    private static final Map<String, EngineModel> TRAINED = new HashMap<>();

    private static EngineModel trained(String key, Supplier<EngineModel> training) {
        synchronized (TRAINED) {
            return TRAINED.computeIfAbsent(key, k -> training.get()).copy();
        }
    }

    private static EngineModel train(ImageSet data, long seed, boolean batchNorm) {
        EngineModel model = create("small-cnn", Map.of("width", 4, "hidden", 16, "batchNorm", batchNorm),
                spec(1, SIZE, CLASSES), seed);
        TrainingConfig cfg = new TrainingConfig("adam", 0.01, 0.9, 0, "constant", 6, 16);
        Trainer.train(model, data, Augmentation.none(), null, cfg, LocalRunContext.quiet(seed));
        return model;
    }
}
