package io.purifier.engine.bench;

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
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Measures training, inference and input-gradient throughput of zoo models on Fashion-MNIST-shaped data
 * (1x28x28, 10 classes, synthetic pixels) and prints a Markdown table.
 *
 * <p>Usage: {@code EngineBench [model[:param=value,...] ...] [--batches N]}; default: every zoo model with
 * default parameters, 20 timed batches. GFLOP/s counts 2 FLOPs per multiply-add of convolutions and dense
 * layers; training is counted as 3x, an input-gradient pass as 2x the forward cost.</p>
 */
public final class EngineBench {

    private static final int TRAIN_BATCH = 128;
    private static final int INFER_BATCH = 256;
    private static final int WARMUP = 5;

    private EngineBench() {
    }

    /** Runs the benchmark. */
    public static void main(String[] args) {
        int batches = 20;
        List<String> models = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if ("--batches".equals(args[i])) {
                batches = Integer.parseInt(args[++i]);
            } else {
                models.add(args[i]);
            }
        }
        if (models.isEmpty()) {
            ModelZoo.architectures().forEach(a -> models.add(a.id()));
        }
        System.out.println("| model | params | MFLOP/img fwd | train img/s | train GFLOP/s | infer img/s | infer GFLOP/s | input-grad img/s | input-grad GFLOP/s |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (String spec : models) {
            System.out.println(row(spec, batches));
        }
    }

    private static String row(String spec, int batches) {
        String[] parts = spec.split(":", 2);
        Architecture arch = ModelZoo.architecture(parts[0]);
        Map<String, Object> raw = new LinkedHashMap<>();
        if (parts.length == 2) {
            for (String kv : parts[1].split(",")) {
                String[] p = kv.split("=", 2);
                raw.put(p[0], p[1]);
            }
        }
        List<String> classes = new ArrayList<>();
        for (int k = 0; k < 10; k++) {
            classes.add("c" + k);
        }
        InputSpec input = new InputSpec(1, 28, 28, classes, new Normalization(new double[]{0.286}, new double[]{0.353}));
        EngineModel model = arch.create(arch.parameters().resolve(raw), input, 1);
        long params = 0;
        for (String p : model.parameterNames()) {
            params += model.array(p).length();
        }
        double flops = forwardFlops(model);
        Random rng = new Random(1);
        INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, TRAIN_BATCH, 1, 28, 28);
        int[] y = new int[TRAIN_BATCH];
        for (int i = 0; i < y.length; i++) {
            y[i] = rng.nextInt(10);
        }
        Objective objective = Objective.crossEntropy(y);
        Optimizer opt = Optimizer.sgd(0.9, 5e-4);
        double train = rate(batches, TRAIN_BATCH, () -> TrainStep.run(model, x, objective, opt, 0.01));
        INDArray xi = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, INFER_BATCH, 1, 28, 28);
        double infer = rate(batches, INFER_BATCH, () -> model.logits(xi));
        double grad = rate(batches, TRAIN_BATCH, () -> {
            try (LossPass p = LossPass.run(model, x, BnMode.EVAL, GradientRequest.inputOnly(), objective, false)) {
                p.inputGradient();
            }
        });
        return String.format(Locale.ROOT, "| %s | %,d | %.1f | %.0f | %.1f | %.0f | %.1f | %.0f | %.1f |", spec, params,
                flops / 1e6, train, train * 3 * flops / 1e9, infer, infer * flops / 1e9, grad, grad * 2 * flops / 1e9);
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
                long[] s = model.outputShape(layer, 1);
                macs += (double) s[1] * s[2] * s[3] * w[1] * w[2] * w[3];
            } else if (w.length == 2) {
                macs += (double) w[0] * w[1];
            }
        }
        return 2 * macs;
    }
}
