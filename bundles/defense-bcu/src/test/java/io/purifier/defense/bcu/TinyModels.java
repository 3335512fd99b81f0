package io.purifier.defense.bcu;

import io.purifier.api.data.Augmentation;
import io.purifier.api.data.ImageSet;
import io.purifier.api.data.Normalization;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.run.LocalRunContext;
import io.purifier.engine.train.Trainer;
import io.purifier.engine.train.TrainingConfig;
import io.purifier.engine.zoo.Architecture;
import io.purifier.engine.zoo.InputSpec;
import io.purifier.engine.zoo.ModelZoo;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Tiny zoo models and a learnable synthetic data set for the tests. */
final class TinyModels {

    private TinyModels() {
    }

    /** {@code channels x size x size} inputs, {@code classes} classes, a non-trivial normalization. */
    static InputSpec spec(int channels, int size, int classes) {
        double[] mean = new double[channels];
        double[] std = new double[channels];
        for (int c = 0; c < channels; c++) {
            mean[c] = 0.3 + 0.05 * c;
            std[c] = 0.3;
        }
        return new InputSpec(channels, size, size, classNames(classes), new Normalization(mean, std));
    }

    /** A zoo model. */
    static EngineModel create(String architecture, Map<String, ?> params, InputSpec spec, long seed) {
        Architecture a = ModelZoo.architecture(architecture);
        return a.create(a.parameters().resolve(params), spec, seed);
    }

    /** A zoo model in double precision (for exact gradient checks). */
    static EngineModel createDouble(String architecture, Map<String, ?> params, InputSpec spec, long seed) {
        Architecture a = ModelZoo.architecture(architecture);
        return a.create(a.parameters().resolve(params), spec, seed, DataType.DOUBLE);
    }

    /**
     * Class k (of at most 4) is a bright 4x4 square in quadrant k of a {@code size x size} noisy dark image.
     */
    static ImageSet quadrants(long seed, int n, int size, int classes) {
        Random rng = new Random(seed);
        float[] pixels = new float[n * size * size];
        int[] labels = new int[n];
        int half = size / 2;
        for (int i = 0; i < n; i++) {
            int k = i % classes;
            labels[i] = k;
            int top = (k / 2) * half + rng.nextInt(half - 3);
            int left = (k % 2) * half + rng.nextInt(half - 3);
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    boolean on = y >= top && y < top + 4 && x >= left && x < left + 4;
                    pixels[i * size * size + y * size + x] = on ? 0.8f + 0.2f * rng.nextFloat() : 0.2f * rng.nextFloat();
                }
            }
        }
        return new ImageSet(Nd4j.create(pixels, new long[]{n, 1, size, size}, 'c'), labels, classNames(classes));
    }

    /** A small CNN trained on {@link #quadrants} (12x12, 3 classes) for a few epochs. */
    static EngineModel trainedQuadrantCnn(long seed) {
        ImageSet train = quadrants(seed, 120, 12, 3);
        EngineModel model = create("small-cnn", Map.of("width", 4, "hidden", 16), spec(1, 12, 3), seed);
        TrainingConfig cfg = new TrainingConfig("sgd", 0.05, 0.9, 0, "constant", 5, 16);
        Trainer.train(model, train, Augmentation.none(), null, cfg, LocalRunContext.quiet(seed));
        return model;
    }

    private static List<String> classNames(int classes) {
        List<String> names = new ArrayList<>();
        for (int k = 0; k < classes; k++) {
            names.add("class" + k);
        }
        return names;
    }
}
