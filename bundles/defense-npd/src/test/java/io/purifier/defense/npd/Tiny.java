package io.purifier.defense.npd;

import io.purifier.api.data.ImageSet;
import io.purifier.api.data.Normalization;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.zoo.Architecture;
import io.purifier.engine.zoo.InputSpec;
import io.purifier.engine.zoo.ModelZoo;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Tiny models and data for the tests: 1-channel 8x8 images, 3 classes. */
final class Tiny {

    static final int SIZE = 8;
    static final int CLASSES = 3;

    private Tiny() {
    }

    static InputSpec spec() {
        List<String> names = new ArrayList<>();
        for (int k = 0; k < CLASSES; k++) {
            names.add("class" + k);
        }
        return new InputSpec(1, SIZE, SIZE, names, new Normalization(new double[]{0.4}, new double[]{0.3}));
    }

    /** A small CNN (conv 4, conv 8, hidden 16) with random weights. */
    static EngineModel cnn(long seed) {
        return model("small-cnn", Map.of("width", 4, "hidden", 16), seed);
    }

    /** A PreAct-ResNet-18 at 1/32 width (2/4/8/16 channels) with random weights. */
    static EngineModel preact(long seed) {
        return model("preact-resnet18", Map.of("widthMultiplier", 0.03125), seed);
    }

    static EngineModel model(String id, Map<String, ?> params, long seed) {
        Architecture a = ModelZoo.architecture(id);
        return a.create(a.parameters().resolve(params), spec(), seed);
    }

    /** Uniform random pixels. */
    static INDArray images(long seed, int n) {
        Random rng = new Random(seed);
        float[] v = new float[n * SIZE * SIZE];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextFloat();
        }
        return Nd4j.create(v, new long[]{n, 1, SIZE, SIZE}, 'c');
    }

    /** A learnable set: class k is a bright band in third k of the rows, on noise; balanced. */
    static ImageSet bands(long seed, int n) {
        Random rng = new Random(seed);
        float[] v = new float[n * SIZE * SIZE];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int k = i % CLASSES;
            labels[i] = k;
            for (int r = 0; r < SIZE; r++) {
                boolean band = r / 3 == k;
                for (int c = 0; c < SIZE; c++) {
                    v[(i * SIZE + r) * SIZE + c] = (band ? 0.6f : 0.05f) + 0.3f * rng.nextFloat();
                }
            }
        }
        return new ImageSet(Nd4j.create(v, new long[]{n, 1, SIZE, SIZE}, 'c'), labels, spec().classNames());
    }
}
