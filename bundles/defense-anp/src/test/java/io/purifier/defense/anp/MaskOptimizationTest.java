package io.purifier.defense.anp;

import io.purifier.api.data.ImageSet;
import io.purifier.engine.blocks.NeuronScaling;
import io.purifier.engine.eval.Batches;
import io.purifier.engine.model.BnMode;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.nn.GradientRequest;
import io.purifier.engine.train.LossPass;
import io.purifier.engine.train.Objective;
import io.purifier.testkit.RecordingRunContext;
import io.purifier.testkit.TinyData;
import io.purifier.testkit.TinyModels;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class MaskOptimizationTest {

    private static final ImageSet DATA = TinyData.quadrants(81, 24, TinyModels.SIZE, TinyModels.CLASSES);

    @Test
    void one_unperturbed_iteration_is_one_clipped_sgd_step_on_the_clean_mask_gradient() {
        EngineModel model = TinyModels.createDouble("small-cnn", Map.of("width", 2, "hidden", 5, "batchNorm", true),
                TinyModels.spec(1, TinyModels.SIZE, TinyModels.CLASSES), 4);
        NeuronScaling scaling = NeuronScaling.of(model, NeuronScaling.batchNormTargets(model));
        // the batch MaskOptimization draws: 8 indices from the step's random source, no augmentation
        Random rng = new Random(6);
        int[] idx = new int[8];
        int[] y = new int[8];
        for (int i = 0; i < 8; i++) {
            idx[i] = rng.nextInt(DATA.size());
            y[i] = DATA.label(idx[i]);
        }
        INDArray x = Batches.gather(DATA.images(), idx);
        NeuronScaling.CoefficientGradients g;
        try (LossPass pass = LossPass.run(model, x, BnMode.TRAIN, GradientRequest.parameters(scaling.parameters()),
                Objective.crossEntropy(y), false)) {
            g = scaling.coefficientGradients(pass.parameterGradients());
        }
        AnpParams p = params(Map.of("iterations", 1, "batchSize", 8, "epsilon", 0.0, "alpha", 1.0,
                "maskLearningRate", 0.5, "cropPadding", 0));
        EngineModel before = model.copy();

        double[][] mask = MaskOptimization.run(model, scaling, DATA, p, RecordingRunContext.seeded(6));

        for (int i = 0; i < mask.length; i++) {
            for (int k = 0; k < mask[i].length; k++) {
                assertEquals(Math.min(1, Math.max(0, 1 - 0.5 * g.weight()[i][k])), mask[i][k], 1e-12, "mask[" + i + "][" + k + "]");
            }
        }
        for (String name : before.parameterNames()) {
            assertEquals(before.array(name), model.array(name), "weights are restored: " + name);
        }
    }

    @Test
    void the_perturbation_changes_the_masks_and_curves_are_logged_every_log_interval() {
        EngineModel model = TinyModels.backdooredCnn(82, true);
        AnpParams p = params(Map.of("iterations", 6, "logEvery", 4, "batchSize", 8, "cropPadding", 0, "maskLearningRate", 0.2));
        RecordingRunContext ctx = RecordingRunContext.seeded(2);
        EngineModel work = model.copy();
        double[][] perturbed = MaskOptimization.run(work, NeuronScaling.of(work, NeuronScaling.batchNormTargets(work)),
                DATA, p, ctx);
        EngineModel other = model.copy();
        double[][] clean = MaskOptimization.run(other, NeuronScaling.of(other, NeuronScaling.batchNormTargets(other)), DATA,
                params(Map.of("iterations", 6, "logEvery", 4, "batchSize", 8, "cropPadding", 0, "maskLearningRate", 0.2,
                        "epsilon", 0.0)), RecordingRunContext.seeded(2));
        assertNotEquals(java.util.Arrays.deepToString(perturbed), java.util.Arrays.deepToString(clean));
        assertArrayEquals(new double[]{4, 6}, ctx.xs("mask/loss"), 0);
        assertArrayEquals(new double[]{4, 6}, ctx.xs("mask/neurons below 0.2"), 0);
        for (double m : ctx.ys("mask/mean mask")) {
            assertEquals(true, m >= 0 && m <= 1, "mean mask " + m);
        }
    }

    private static AnpParams params(Map<String, ?> raw) {
        return AnpParams.from(AnpParams.DESCRIPTOR.resolve(raw));
    }
}
