package io.purifier.defense.npd;

import io.purifier.api.data.ImageSet;
import io.purifier.api.run.ReportingProbe;
import io.purifier.api.run.RunContext;
import io.purifier.engine.eval.Evaluator;
import io.purifier.engine.model.BnMode;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.nn.GradientRequest;
import io.purifier.engine.train.LossPass;
import io.purifier.engine.train.Objective;
import io.purifier.engine.train.Optimizer;
import io.purifier.engine.train.TrainStep;
import io.purifier.engine.train.Trainer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The two phases of NPD's training on a polarized, otherwise frozen model (BackdoorBench {@code train_npd}):
 *
 * <ol>
 *   <li>warm-up: plain cross-entropy, SGD without momentum at a small step, the polarizer's batch norm in
 *       training mode (batch statistics, running statistics updated);</li>
 *   <li>main training, per batch: the polarizer in inference mode (its batch norm a fixed affine map of the
 *       warm-up statistics, gamma and beta still trained), target estimate on the clean logits, targeted inner
 *       attack, the four-term loss on {@code [x; x_adv]}, one SGD step (momentum, weight decay, constant rate)
 *       on the polarizer alone. A {@link DivergenceGuard} (not in the reference) repeats an epoch at half the step
 *       size when a batch's clean loss explodes.</li>
 * </ol>
 *
 * <p>Records per-epoch curves: the loss terms, accuracy on the defense data, attack statistics and, through the
 * reporting probe, test C-ACC/ASR/RA (reporting only; nothing here reads them back).</p>
 */
final class NpdTraining {

    private final EngineModel model;
    private final Polarizer polarizer;
    private final NpdParams params;
    private final AttackConfig attack;
    private final RunContext ctx;
    private final long totalBatches;
    private long doneBatches;

    /** The last main epoch's statistics, or null before the first. */
    private EpochStats last;
    private DivergenceGuard guard;
    private double learningRate;
    private double divergedCleanLoss;
    private double divergedTotal;

    NpdTraining(EngineModel model, Polarizer polarizer, NpdParams params, AttackConfig attack, int dataSize,
                RunContext ctx) {
        this.model = model;
        this.polarizer = polarizer;
        this.params = params;
        this.attack = attack;
        this.ctx = ctx;
        long perEpoch = (dataSize + params.batchSize() - 1) / params.batchSize();
        this.learningRate = params.learningRate();
        this.totalBatches = Math.max(1, perEpoch * ((long) params.warmupEpochs() + params.epochs()));
    }

    /** Runs both phases on {@code data}, shuffling with {@code rng}. */
    void run(ImageSet data, Random rng) {
        Optimizer warm = Optimizer.sgd(0, 0);
        for (int epoch = 1; epoch <= params.warmupEpochs(); epoch++) {
            warmUpEpoch(data, rng, warm, epoch);
        }
        logBatchNormStatistics();
        probe(0);
        if (params.epochs() == 0) {
            return;
        }
        double reference = cleanLoss(data);
        guard = new DivergenceGuard(params.divergenceFactor(), params.maxHalvings(), reference, model.numClasses());
        ctx.log(String.format(Locale.ROOT, "npd: clean cross-entropy of the polarized model before the main training "
                + "%.4f; divergence limit %.4g", reference, guard.limit()));
        Optimizer sgd = Optimizer.sgd(params.momentum(), params.weightDecay());
        for (int epoch = 1; epoch <= params.epochs(); epoch++) {
            Map<String, INDArray> start = snapshot();
            EpochStats stats;
            while ((stats = checkedEpoch(data, rng, sgd, epoch)) == null) {
                restore(start);
                sgd = Optimizer.sgd(params.momentum(), params.weightDecay());
                double halved = guard.halve(learningRate, epoch, divergedCleanLoss, divergedTotal);
                ctx.warn(String.format(Locale.ROOT, "npd: diverging in epoch %d (clean cross-entropy %.4g, limit %.4g): "
                                + "restored the polarizer of the epoch's start, learningRate %.3g -> %.3g, repeating the epoch",
                        epoch, divergedCleanLoss, guard.limit(), learningRate, halved));
                learningRate = halved;
            }
            last = stats;
            last.record(ctx, epoch);
            ctx.curve("learning rate", epoch, learningRate);
            ctx.log(last.describe(epoch, params.epochs()));
            if (params.probeEvery() > 0 && (epoch % params.probeEvery() == 0 || epoch == params.epochs())) {
                probe(epoch);
            }
        }
    }

    /** The step size of the last main epoch (the configured one unless the divergence guard halved it). */
    double learningRate() {
        return learningRate;
    }

    /** The divergence guard's clean cross-entropy limit (infinite before the main training or with the guard off). */
    double divergenceLimit() {
        return guard == null ? Double.POSITIVE_INFINITY : guard.limit();
    }

    /** How many times the divergence guard halved the step size. */
    int halvings() {
        return guard == null ? 0 : guard.halvings();
    }

    private Map<String, INDArray> snapshot() {
        Map<String, INDArray> copy = new java.util.LinkedHashMap<>();
        for (String name : polarizer.parameters()) {
            copy.put(name, model.array(name).dup());
        }
        return copy;
    }

    private void restore(Map<String, INDArray> snapshot) {
        for (Map.Entry<String, INDArray> e : snapshot.entrySet()) {
            model.array(e.getKey()).assign(e.getValue());
        }
    }

    /** The last main epoch's statistics, or null when no main epoch ran. */
    EpochStats lastEpoch() {
        return last;
    }

    private void warmUpEpoch(ImageSet data, Random rng, Optimizer warm, int epoch) {
        double lossSum = 0;
        long correct = 0;
        for (int[] batch : batches(data.size(), rng)) {
            ctx.checkCancelled();
            ImageSet b = data.subset(batch);
            int[] y = b.labels();
            TrainStep.Result out = TrainStep.run(model, b.images(), Objective.crossEntropy(y), warm,
                    params.warmupLearningRate());
            lossSum += out.loss() * y.length;
            correct += Trainer.countCorrect(out.logits(), y);
            advance("warm-up epoch " + epoch + "/" + params.warmupEpochs());
        }
        double accuracy = correct / (double) data.size();
        ctx.curve("warmup/CE", epoch, lossSum / data.size());
        ctx.curve("warmup/clean accuracy (train mode)", epoch, accuracy);
        ctx.log(String.format(Locale.ROOT, "npd: warm-up epoch %d/%d: CE %.4f, clean accuracy %.4f", epoch,
                params.warmupEpochs(), lossSum / data.size(), accuracy));
    }

    /**
     * One main epoch followed by the clean cross-entropy of the resulting polarizer on all the defense data (the
     * batches check the loss before their own update, this checks the epoch's last update); null when either
     * diverged.
     */
    private EpochStats checkedEpoch(ImageSet data, Random rng, Optimizer sgd, int epoch) {
        EpochStats stats = mainEpoch(data, rng, sgd, epoch);
        if (stats == null) {
            return null;
        }
        double end = cleanLoss(data);
        if (guard.diverged(end, end)) {
            divergedCleanLoss = end;
            divergedTotal = end;
            return null;
        }
        ctx.curve("defense data/clean CE after the epoch", epoch, end);
        return stats;
    }

    /** Mean clean cross-entropy of the polarized model (inference mode) on all of {@code data}. */
    private double cleanLoss(ImageSet data) {
        return DivergenceGuard.meanCrossEntropy(Evaluator.logits(model, data.images(), params.batchSize()), data.labels());
    }

    /** One main epoch; null when a batch diverged (before that batch's update). */
    private EpochStats mainEpoch(ImageSet data, Random rng, Optimizer sgd, int epoch) {
        EpochStats stats = new EpochStats();
        GradientRequest request = GradientRequest.parameters(polarizer.parameters());
        for (int[] batch : batches(data.size(), rng)) {
            ctx.checkCancelled();
            ImageSet b = data.subset(batch);
            int[] y = b.labels();
            INDArray x = b.images();
            INDArray clean = model.logits(x);
            int[] cleanPrediction = Evaluator.argMax(clean);
            int[] estimated = TargetEstimation.perSample(clean, y, params.trueClassLogit());
            int[] targets = params.targetEstimate() == NpdParams.TargetEstimate.BATCH_MAJORITY
                    ? TargetEstimation.batchMajority(estimated, y, model.numClasses()) : estimated;
            PolarizerAttack.Result adv = PolarizerAttack.run(model, x, targets, attack);
            int[] wrong = MostProbableWrongClass.of(adv.logits(), y);

            INDArray stacked = Nd4j.concat(0, x.castTo(adv.adversarial().dataType()), adv.adversarial());
            // L1..L4 and the total, read inside the objective: the tape's arrays are freed when the pass returns
            double[] terms = new double[5];
            Objective outer = (t, o) -> {
                NpdObjective.Terms l = NpdObjective.outer(t, o.logits(), y, cleanPrediction, wrong, targets,
                        params.lambdas());
                terms[0] = l.l1().scalar();
                terms[1] = l.l2().scalar();
                terms[2] = l.l3().scalar();
                terms[3] = l.l4().scalar();
                terms[4] = l.total().scalar();
                return l.total();
            };
            int[] predicted;
            try (LossPass r = LossPass.run(model, stacked, BnMode.EVAL, request, outer, false)) {
                double total = r.loss();
                double cleanLoss = terms[0];
                if (guard.diverged(cleanLoss, total)) {
                    divergedCleanLoss = cleanLoss;
                    divergedTotal = total;
                    return null;
                }
                sgd.step(model, r.parameterGradients(), learningRate);
                predicted = Evaluator.argMax(r.logits());
            }
            int b2 = y.length;
            long cleanHits = 0;
            long advHits = 0;
            for (int i = 0; i < b2; i++) {
                cleanHits += predicted[i] == y[i] ? 1 : 0;
                advHits += predicted[b2 + i] == y[i] ? 1 : 0;
            }
            stats.add(b2, terms[0], terms[1], terms[2], terms[3], terms[4], cleanHits, advHits, adv.steps(),
                    adv.hitRate());
            advance("epoch " + epoch + "/" + params.epochs());
        }
        return stats;
    }

    /**
     * Logs the polarizer's frozen batch-norm statistics: channels with a tiny running variance (dead channels of a
     * ReLU feature map) turn into large gains {@code gamma / sqrt(var + eps)} once the 1x1 convolution mixes other
     * channels into them.
     */
    private void logBatchNormStatistics() {
        INDArray var = model.array(polarizer.batchNorm().runningVar());
        double min = var.minNumber().doubleValue();
        long tiny = var.lt(1e-3).castTo(org.nd4j.linalg.api.buffer.DataType.INT32).sumNumber().longValue();
        ctx.log(String.format(Locale.ROOT, "npd: polarizer batch norm after warm-up: running variance min %.3g, "
                + "median %.3g, %d of %d channels below 1e-3", min, var.medianNumber().doubleValue(), tiny, var.length()));
    }

    private void probe(int epoch) {
        if (params.probeEvery() == 0) {
            return;
        }
        ReportingProbe probe = ctx.reportingProbe().orElse(null);
        if (probe == null) {
            return;
        }
        Map<String, Double> m = probe.evaluate(model);
        StringBuilder line = new StringBuilder("npd: after " + (epoch == 0 ? "warm-up" : "epoch " + epoch) + ", test (reporting only):");
        for (Map.Entry<String, Double> e : m.entrySet()) {
            if (e.getValue() != null && Double.isFinite(e.getValue())) {
                ctx.curve("test/" + e.getKey(), epoch, e.getValue());
                line.append(String.format(Locale.ROOT, " %s %.4f", e.getKey(), e.getValue()));
            }
        }
        ctx.log(line.toString());
    }

    private List<int[]> batches(int n, Random rng) {
        List<Integer> order = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        Collections.shuffle(order, rng);
        List<int[]> out = new ArrayList<>();
        for (int start = 0; start < n; start += params.batchSize()) {
            int end = Math.min(n, start + params.batchSize());
            int[] idx = new int[end - start];
            for (int i = start; i < end; i++) {
                idx[i - start] = order.get(i);
            }
            out.add(idx);
        }
        return out;
    }

    private void advance(String message) {
        doneBatches++;
        ctx.progress(Math.min(1.0, doneBatches / (double) totalBatches), "npd: " + message);
    }
}
