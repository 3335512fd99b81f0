package io.purifier.testkit;

import io.purifier.api.data.Augmentation;
import io.purifier.api.data.ImageSet;
import io.purifier.api.data.Normalization;
import io.purifier.engine.eval.Evaluator;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.run.LocalRunContext;
import io.purifier.engine.train.Trainer;
import io.purifier.engine.train.TrainingConfig;
import io.purifier.engine.zoo.Architecture;
import io.purifier.engine.zoo.InputSpec;
import io.purifier.engine.zoo.ModelZoo;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/** Tiny zoo models for plugin tests: created fresh, trained on {@link TinyData}, or trained with a backdoor. */
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

    /** A small CNN (width 4, hidden 16; with batch norm when asked) trained 5 epochs on 120 clean quadrant images. */
    public static EngineModel cleanCnn(long seed, boolean batchNorm) {
        return train(TinyData.quadrants(seed, 120, SIZE, CLASSES), seed, batchNorm);
    }

    /**
     * A small CNN trained 6 epochs on 150 quadrant images of which every third non-target one carries the trigger
     * and is labelled {@link #TARGET}: it learns both the task and the backdoor.
     */
    public static EngineModel backdooredCnn(long seed, boolean batchNorm) {
        return train(TinyData.poisoned(seed, 150, SIZE, CLASSES, TARGET, 3), seed, batchNorm);
    }

    /** Side of the images of {@link #backdooredBarsCnn}. */
    public static final int BARS_SIZE = 16;
    /** Classes of {@link #backdooredBarsCnn}. */
    public static final int BARS_CLASSES = 6;

    /**
     * A small CNN trained 8 epochs on 240 {@link TinyData#bars} images (16x16, 6 classes) of which every third
     * non-target one carries the trigger and is labelled {@link #TARGET}.
     */
    public static EngineModel backdooredBarsCnn(long seed) {
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

    private static EngineModel train(ImageSet data, long seed, boolean batchNorm) {
        EngineModel model = create("small-cnn", Map.of("width", 4, "hidden", 16, "batchNorm", batchNorm),
                spec(1, SIZE, CLASSES), seed);
        TrainingConfig cfg = new TrainingConfig("adam", 0.01, 0.9, 0, "constant", 6, 16);
        Trainer.train(model, data, Augmentation.none(), null, cfg, LocalRunContext.quiet(seed));
        return model;
    }
}
