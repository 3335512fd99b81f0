package io.purifier.bench.engine;

import io.purifier.api.data.Normalization;
import io.purifier.engine.model.BnMode;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.nn.GradientRequest;
import io.purifier.engine.train.LossPass;
import io.purifier.engine.train.Objective;
import io.purifier.engine.train.Optimizer;
import io.purifier.engine.train.TrainStep;
import io.purifier.engine.zoo.Architecture;
import io.purifier.engine.zoo.InputSpec;
import io.purifier.engine.zoo.ModelZoo;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Measures the engine on one zoo model with the protocol the PyTorch twin ({@code engine_twin.py}) uses: synthetic
 * 1x28x28 pixels in [0, 1], 10 classes, 5 warm-up batches then N timed batches per cell.
 */
final class EngineThroughput {

    static final int TRAIN_BATCH = 128;
    static final int INFER_BATCH = 256;
    static final int WARMUP = 5;

    private EngineThroughput() {
    }

    /** A freshly initialised model of {@code spec} on Fashion-MNIST-shaped input. */
    static EngineModel model(ModelSpec spec) {
        Architecture arch = ModelZoo.architecture(spec.id());
        List<String> classes = new ArrayList<>();
        for (int k = 0; k < 10; k++) {
            classes.add("c" + k);
        }
        InputSpec input = new InputSpec(1, 28, 28, classes, new Normalization(new double[]{0.286}, new double[]{0.353}));
        return arch.create(arch.parameters().resolve(spec.params()), input, 1);
    }

    /** Number of trained parameters. */
    static long parameterCount(EngineModel model) {
        long n = 0;
        for (String p : model.parameterNames()) {
            n += model.array(p).length();
        }
        return n;
    }

    /** Measures the three cells. */
    static Rates measure(EngineModel model, int batches) {
        Inputs in = Inputs.create();
        double train = rate(batches, TRAIN_BATCH, in.trainStep(model));
        double infer = rate(batches, INFER_BATCH, in.inference(model));
        double grad = rate(batches, TRAIN_BATCH, in.inputGradient(model));
        return new Rates(train, infer, grad);
    }

    /**
     * Runs each model's training step, inference and input-gradient pass, untimed, for its share of {@code seconds}
     * (each model at least once), so that HotSpot has compiled the engine's Java kernels before any cell is timed.
     * The models take turns by time, not by round, so a slow model does not leave the others a single pass. Returns
     * the number of times the three passes ran, over all models.
     */
    static int warmUpJit(List<EngineModel> models, int seconds) {
        long start = System.nanoTime();
        long share = seconds * 1_000_000_000L / Math.max(1, models.size());
        int passes = 0;
        for (int i = 0; i < models.size(); i++) {
            EngineModel model = models.get(i);
            Inputs in = Inputs.create();
            long end = start + share * (i + 1);
            do {
                in.trainStep(model).run();
                in.inference(model).run();
                in.inputGradient(model).run();
                passes++;
            } while (System.nanoTime() < end);
        }
        return passes;
    }

    /** The synthetic batches and the three passes the cells time. */
    private record Inputs(INDArray x, INDArray xi, Objective loss, Optimizer opt) {

        static Inputs create() {
            Random rng = new Random(1);
            INDArray x = Nd4j.rand(DataType.FLOAT, TRAIN_BATCH, 1, 28, 28);
            int[] y = new int[TRAIN_BATCH];
            for (int i = 0; i < y.length; i++) {
                y[i] = rng.nextInt(10);
            }
            return new Inputs(x, Nd4j.rand(DataType.FLOAT, INFER_BATCH, 1, 28, 28), Objective.crossEntropy(y),
                    Optimizer.sgd(0.9, 5e-4));
        }

        Runnable trainStep(EngineModel model) {
            return () -> TrainStep.run(model, x, loss, opt, 0.01);
        }

        Runnable inference(EngineModel model) {
            return () -> model.logits(xi);
        }

        Runnable inputGradient(EngineModel model) {
            return () -> {
                try (LossPass p = LossPass.run(model, x, BnMode.EVAL, GradientRequest.inputOnly(), loss, false)) {
                    p.inputGradient();
                }
            };
        }
    }

    private static double rate(int batches, int batchSize, Runnable step) {
        for (int i = 0; i < WARMUP; i++) {
            step.run();
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < batches; i++) {
            step.run();
        }
        return (double) batches * batchSize / ((System.nanoTime() - t0) / 1e9);
    }

    /** FLOPs of one image's forward pass through convolutions and dense layers (2 per multiply-add). */
    static double forwardFlops(EngineModel model) {
        double macs = 0;
        for (String p : model.parameterNames()) {
            if (!p.endsWith("/W")) {
                continue;
            }
            String layer = p.substring(0, p.length() - 2);
            long[] w = model.array(p).shape();
            if (w.length == 4) {
                long[] s = model.nodeShape(layer, 1);
                macs += (double) s[1] * s[2] * s[3] * w[1] * w[2] * w[3];
            } else if (w.length == 2) {
                macs += (double) w[0] * w[1];
            }
        }
        return 2 * macs;
    }
}
