package io.purifier.defense.wiper;

import io.purifier.api.data.ImageSet;
import io.purifier.api.data.Normalization;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.model.GraphBuilder;
import io.purifier.engine.zoo.Architecture;
import io.purifier.engine.zoo.InputSpec;
import io.purifier.engine.zoo.ModelZoo;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Tiny models and data for the tests. */
final class TinyFixtures {

    static final List<String> CLASSES = List.of("c0", "c1", "c2");

    private TinyFixtures() {
    }

    /** Softmax regression on 1x2x2 images (normalization mean 0.5, std 0.25) in double precision: layer {@code fc}. */
    static EngineModel linearModel(long seed) {
        GraphBuilder b = GraphBuilder.create("tiny-linear", Map.of(), 1, 2, 2, CLASSES,
                new Normalization(new double[]{0.5}, new double[]{0.25}), seed, DataType.DOUBLE);
        return b.finish(b.dense("fc", b.flatten("flatten", b.input()), 4, 3));
    }

    /** A zoo model on {@code channels x size x size} inputs with 3 classes. */
    static EngineModel zooModel(String architecture, Map<String, ?> params, int size, long seed) {
        Architecture a = ModelZoo.architecture(architecture);
        InputSpec spec = new InputSpec(1, size, size, CLASSES, new Normalization(new double[]{0.4}, new double[]{0.3}));
        return a.create(a.parameters().resolve(params), spec, seed);
    }

    /**
     * A learnable set of {@code size x size} images: class k is a bright square in quadrant k on a noisy dark
     * background; with {@code trigger}, every fifth image gets a bright 2x2 patch in the bottom-right corner and
     * label 0 (a tiny BadNets).
     */
    static ImageSet quadrants(long seed, int n, int size, boolean trigger) {
        Random rng = new Random(seed);
        float[] data = new float[n * size * size];
        int[] labels = new int[n];
        int half = size / 2;
        for (int i = 0; i < n; i++) {
            int k = i % 3;
            labels[i] = k;
            int r0 = (k / 2) * half;
            int c0 = (k % 2) * half;
            for (int r = 0; r < size; r++) {
                for (int c = 0; c < size; c++) {
                    boolean in = r >= r0 + 1 && r < r0 + half - 1 && c >= c0 + 1 && c < c0 + half - 1;
                    data[(i * size + r) * size + c] = (in ? 0.6f : 0.1f) + 0.3f * rng.nextFloat();
                }
            }
            if (trigger && i % 5 == 4) {
                labels[i] = 0;
                for (int r = size - 2; r < size; r++) {
                    for (int c = size - 2; c < size; c++) {
                        data[(i * size + r) * size + c] = 1f;
                    }
                }
            }
        }
        return new ImageSet(Nd4j.create(data, new long[]{n, 1, size, size}, 'c'), labels, CLASSES);
    }

    /** Copies of every parameter array, by name. */
    static Map<String, double[]> parameters(EngineModel model) {
        Map<String, double[]> out = new java.util.LinkedHashMap<>();
        for (String p : model.parameterNames()) {
            out.put(p, Arrays1d.flat(model.array(p)));
        }
        return out;
    }

    /** Names whose arrays differ between two parameter snapshots. */
    static List<String> changed(Map<String, double[]> before, Map<String, double[]> after) {
        List<String> out = new ArrayList<>();
        for (String p : before.keySet()) {
            if (!java.util.Arrays.equals(before.get(p), after.get(p))) {
                out.add(p);
            }
        }
        return out;
    }
}
