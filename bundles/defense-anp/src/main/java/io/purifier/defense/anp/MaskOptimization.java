package io.purifier.defense.anp;

import io.purifier.api.data.ImageSet;
import io.purifier.api.run.RunContext;
import io.purifier.engine.blocks.NeuronScaling;
import io.purifier.engine.eval.Batches;
import io.purifier.engine.model.BnMode;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.nn.GradientRequest;
import io.purifier.engine.train.BatchAugmenter;
import io.purifier.engine.train.LossPass;
import io.purifier.engine.train.Objective;
import io.purifier.engine.train.Trainer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Locale;
import java.util.Random;

/**
 * Step 1 of ANP on a working copy of the model: per iteration, a batch drawn with replacement; the neuron
 * perturbation (weight part {@code delta}, bias part {@code xi}) starts uniform in {@code [-eps, eps]} and ascends the
 * cross-entropy by {@code eps / steps} per sign step; then the masks {@code m} descend
 * {@code alpha * CE(m) + (1 - alpha) * CE(m + delta, 1 + xi)} by SGD with momentum and are clipped to [0, 1]. Batch
 * norm runs in training mode (batch statistics), as BackdoorBench's {@code model.train()}; the working copy's
 * weights are restored at the end. The model's weights are never trained.
 *
 * <p>Curves every {@code logEvery} iterations (x = iterations done): {@code mask/loss}, {@code mask/clean
 * accuracy} (of the unperturbed masked model on the batches), {@code mask/mean mask}, {@code mask/neurons below
 * 0.2}.</p>
 */
final class MaskOptimization {

    private MaskOptimization() {
    }

    /**
     * Learns the masks.
     *
     * @param work    a working copy of the model (its weights are restored before returning)
     * @param scaling the neuron coefficients of {@code work}
     * @param data    the clean labeled images
     * @param p       the parameters
     * @param ctx     progress, curves, cancellation
     * @return the masks {@code [layer][neuron]} in [0, 1]
     */
    static double[][] run(EngineModel work, NeuronScaling scaling, ImageSet data, AnpParams p, RunContext ctx) {
        Random rng = ctx.newRandom();
        GradientRequest request = GradientRequest.parameters(scaling.parameters());
        double[][] mask = new double[scaling.targets().size()][];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = new double[scaling.targets().get(i).neurons()];
            java.util.Arrays.fill(mask[i], 1.0);
        }
        AnpUpdates.MaskSgd sgd = new AnpUpdates.MaskSgd(p.maskMomentum());
        int[] labels = data.labels();
        double lossSum = 0;
        long correct = 0;
        long seen = 0;
        try {
            for (int it = 0; it < p.iterations(); it++) {
                ctx.checkCancelled();
                int[] idx = new int[p.batchSize()];
                int[] y = new int[idx.length];
                for (int i = 0; i < idx.length; i++) {
                    idx[i] = rng.nextInt(data.size());
                    y[i] = labels[idx[i]];
                }
                INDArray x = BatchAugmenter.apply(Batches.gather(data.images(), idx), p.augmentation(), rng);
                double[][] perturbedGradient = null;
                double perturbedLoss = 0;
                if (p.epsilon() > 0) {
                    double[][] delta = uniform(mask, p.epsilon(), rng);
                    double[][] xi = uniform(mask, p.epsilon(), rng);
                    for (int s = 0; s < p.steps(); s++) {
                        NeuronScaling.CoefficientGradients g = pass(work, scaling, x, y, request,
                                AnpUpdates.sum(mask, delta), AnpUpdates.sum(AnpUpdates.filled(mask, 1), xi), null);
                        AnpUpdates.signAscent(delta, g.weight(), p.epsilon() / p.steps());
                        AnpUpdates.signAscent(xi, g.bias(), p.epsilon() / p.steps());
                    }
                    double[] loss = new double[1];
                    perturbedGradient = pass(work, scaling, x, y, request, AnpUpdates.sum(mask, delta),
                            AnpUpdates.sum(AnpUpdates.filled(mask, 1), xi), loss).weight();
                    perturbedLoss = loss[0];
                }
                double[] clean = new double[2];
                double[][] cleanGradient = pass(work, scaling, x, y, request, mask, null, clean).weight();
                sgd.step(mask, AnpUpdates.maskGradient(p.alpha(), cleanGradient, perturbedGradient), p.maskLearningRate());
                lossSum += p.alpha() * clean[0] + (p.epsilon() > 0 ? (1 - p.alpha()) * perturbedLoss : 0);
                correct += (long) clean[1];
                seen += y.length;
                ctx.progress((double) (it + 1) / p.iterations(), "anp mask iteration " + (it + 1) + "/" + p.iterations());
                int done = it + 1;
                if (done % p.logEvery() == 0 || done == p.iterations()) {
                    int batches = (int) (seen / y.length);
                    report(mask, done, lossSum / batches, (double) correct / seen, ctx);
                    lossSum = 0;
                    correct = 0;
                    seen = 0;
                }
            }
        } finally {
            scaling.restore();
        }
        return mask;
    }

    /**
     * One training-mode pass with the given coefficients; returns the coefficient gradients of the mean CE and puts
     * the loss (and, when {@code out} has two slots, the number of correct predictions) into {@code out}.
     */
    private static NeuronScaling.CoefficientGradients pass(EngineModel work, NeuronScaling scaling, INDArray x, int[] y,
                                                           GradientRequest request, double[][] weight, double[][] bias,
                                                           double[] out) {
        scaling.apply(weight, bias);
        try (LossPass pass = LossPass.run(work, x, BnMode.TRAIN, request, Objective.crossEntropy(y), false)) {
            if (out != null) {
                out[0] = pass.loss();
                if (out.length > 1) {
                    out[1] = Trainer.countCorrect(pass.logits(), y);
                }
            }
            return scaling.coefficientGradients(pass.parameterGradients());
        }
    }

    private static double[][] uniform(double[][] like, double eps, Random rng) {
        double[][] out = new double[like.length][];
        for (int i = 0; i < like.length; i++) {
            out[i] = new double[like[i].length];
            for (int k = 0; k < out[i].length; k++) {
                out[i][k] = (2 * rng.nextDouble() - 1) * eps;
            }
        }
        return out;
    }

    private static void report(double[][] mask, int iterations, double loss, double accuracy, RunContext ctx) {
        double sum = 0;
        int n = 0;
        int low = 0;
        for (double[] layer : mask) {
            for (double m : layer) {
                sum += m;
                n++;
                low += m < 0.2 ? 1 : 0;
            }
        }
        ctx.curve("mask/loss", iterations, loss);
        ctx.curve("mask/clean accuracy", iterations, accuracy);
        ctx.curve("mask/mean mask", iterations, sum / n);
        ctx.curve("mask/neurons below 0.2", iterations, low);
        ctx.log(String.format(Locale.ROOT, "anp iteration %d: loss %.4f, clean accuracy %.4f, mean mask %.4f, %d of %d "
                + "neurons below 0.2", iterations, loss, accuracy, sum / n, low, n));
    }
}
