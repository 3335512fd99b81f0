package io.purifier.defense.nc;

import io.purifier.api.data.ImageSet;
import io.purifier.api.run.RunContext;
import io.purifier.engine.eval.Batches;
import io.purifier.engine.model.BnMode;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.nn.GradientRequest;
import io.purifier.engine.train.BatchAugmenter;
import io.purifier.engine.train.LossPass;
import io.purifier.engine.train.Objective;
import io.purifier.engine.train.Trainer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.Random;
import java.util.function.DoubleConsumer;

/**
 * Neural Cleanse's trigger reverse engineering for one target class: over the clean images (all classes, shuffled,
 * augmented as in training), minimise {@code CE(model(stamp(x)), target) + cost * ||m||} over the trigger's
 * unconstrained mask and pattern with Adam (betas 0.5, 0.9), the model frozen in inference mode; the
 * {@link CostSchedule} adapts {@code cost}, keeps the smallest successful trigger and may stop early.
 *
 * <p>Gradients: the model gives {@code g = dCE/dx'} at the stamped images {@code x' = x + m (p - x)}; then
 * {@code dL/dm_j = sum_{n,c} g (p_cj - x_ncj) + cost d||m||/dm_j} and {@code dL/dp_cj = sum_n g m_j}, times the
 * derivative of the tanh squashing. Curve {@code search/mask norm (class k)} per epoch (x = 1..).</p>
 */
final class TriggerSearch {

    private TriggerSearch() {
    }

    /**
     * The search's outcome.
     *
     * @param target        the class
     * @param trigger       the kept trigger
     * @param norm          its mask norm (the norm the outlier detection compares)
     * @param attackSuccess the mean attack success of the epoch it was kept in
     * @param epochs        epochs run
     */
    record Result(int target, Trigger trigger, double norm, double attackSuccess, int epochs) {
    }

    /**
     * Searches the trigger of {@code target}.
     *
     * @param model    the model (only read)
     * @param data     the clean labeled images
     * @param target   the class
     * @param p        the parameters
     * @param rng      shuffling and augmentation
     * @param ctx      curves and cancellation
     * @param progress receives the share of this search done, in [0, 1]
     */
    static Result run(EngineModel model, ImageSet data, int target, NcParams p, Random rng, RunContext ctx,
                      DoubleConsumer progress) {
        int c = data.channels();
        int h = data.height();
        int w = data.width();
        int plane = h * w;
        double eps = p.epsilon();
        double[] maskRaw = new double[plane];
        double[] patternRaw = new double[c * plane];
        Arrays.fill(maskRaw, 1.0);
        Arrays.fill(patternRaw, 1.0);
        Adam maskAdam = new Adam(plane, p.maskLearningRate(), 0.5, 0.9, 1e-8);
        Adam patternAdam = new Adam(c * plane, p.maskLearningRate(), 0.5, 0.9, 1e-8);
        CostSchedule schedule = p.costSchedule();
        Trigger[] kept = new Trigger[1];
        double[] keptSuccess = new double[1];
        int n = data.size();
        int batches = (n + p.batchSize() - 1) / p.batchSize();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        int epoch = 0;
        while (epoch < p.searchEpochs()) {
            shuffle(order, rng);
            double successSum = 0;
            double normSum = 0;
            for (int b = 0; b < batches; b++) {
                ctx.checkCancelled();
                int[] idx = Arrays.copyOfRange(order, b * p.batchSize(), Math.min(n, (b + 1) * p.batchSize()));
                INDArray x = BatchAugmenter.apply(Batches.gather(data.images(), idx), p.augmentation(), rng);
                Trigger current = new Trigger(c, h, w, Trigger.squash(maskRaw, eps), Trigger.squash(patternRaw, eps));
                double norm = current.norm(p.l1());
                int[] targets = new int[idx.length];
                Arrays.fill(targets, target);
                double[] g;
                double success;
                try (LossPass pass = LossPass.run(model, current.stamp(x), BnMode.EVAL, GradientRequest.inputOnly(),
                        Objective.crossEntropy(targets), false)) {
                    g = pass.inputGradient().dup('c').data().asDouble();
                    success = (double) Trainer.countCorrect(pass.logits(), targets) / idx.length;
                }
                double[] xs = x.dup('c').data().asDouble();
                double[] gradMask = new double[plane];
                double[] gradPattern = new double[c * plane];
                for (int i = 0; i < idx.length; i++) {
                    for (int ch = 0; ch < c; ch++) {
                        int base = (i * c + ch) * plane;
                        for (int j = 0; j < plane; j++) {
                            double gi = g[base + j];
                            gradMask[j] += gi * (current.pattern()[ch * plane + j] - xs[base + j]);
                            gradPattern[ch * plane + j] += gi * current.mask()[j];
                        }
                    }
                }
                double[] dMask = Trigger.squashDerivative(maskRaw, eps);
                double[] dPattern = Trigger.squashDerivative(patternRaw, eps);
                for (int j = 0; j < plane; j++) {
                    double reg = p.l1() ? Math.signum(current.mask()[j]) : current.mask()[j] / norm;
                    gradMask[j] = (gradMask[j] + schedule.cost() * reg) * dMask[j];
                }
                for (int j = 0; j < gradPattern.length; j++) {
                    gradPattern[j] *= dPattern[j];
                }
                maskAdam.step(maskRaw, gradMask);
                patternAdam.step(patternRaw, gradPattern);
                successSum += success;
                normSum += norm;
            }
            epoch++;
            double meanSuccess = successSum / batches;
            ctx.curve("search/mask norm (class " + target + ")", epoch, normSum / batches);
            CostSchedule.Outcome outcome = schedule.epoch(meanSuccess, normSum / batches, () -> {
                kept[0] = new Trigger(c, h, w, Trigger.squash(maskRaw, eps), Trigger.squash(patternRaw, eps));
                keptSuccess[0] = meanSuccess;
            });
            progress.accept((double) epoch / p.searchEpochs());
            if (outcome == CostSchedule.Outcome.STOP) {
                break;
            }
        }
        return new Result(target, kept[0], kept[0].norm(p.l1()), keptSuccess[0], epoch);
    }

    private static void shuffle(int[] a, Random rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
