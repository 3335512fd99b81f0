package io.purifier.defense.npd;

import io.purifier.api.data.ImageSet;
import io.purifier.api.run.ReportingProbe;
import io.purifier.api.run.RunContext;
import io.purifier.engine.eval.Evaluator;
import io.purifier.engine.model.BnMode;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.model.GraphNames;
import io.purifier.engine.train.Optimizer;
import io.purifier.engine.train.TrainStep;
import io.purifier.engine.train.Trainer;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
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
 *       on the polarizer alone.</li>
 * </ol>
 *
 * <p>Records per-epoch curves: the loss terms, accuracy on the defense data, attack statistics and, through the
 * reporting probe, test C-ACC/ASR/RA (reporting only; nothing here reads them back).</p>
 */
final class NpdTraining {

    private final EngineModel model;
    private final Polarizer polarizer;
    private final NpdObjective objective;
    private final NpdParams params;
    private final AttackConfig attack;
    private final RunContext ctx;
    private final long totalBatches;
    private long doneBatches;

    /** The last main epoch's statistics, or null before the first. */
    private EpochStats last;

    NpdTraining(EngineModel model, Polarizer polarizer, NpdObjective objective, NpdParams params, AttackConfig attack,
                int dataSize, RunContext ctx) {
        this.model = model;
        this.polarizer = polarizer;
        this.objective = objective;
        this.params = params;
        this.attack = attack;
        this.ctx = ctx;
        long perEpoch = (dataSize + params.batchSize() - 1) / params.batchSize();
        this.totalBatches = Math.max(1, perEpoch * ((long) params.warmupEpochs() + params.epochs()));
    }

    /** Runs both phases on {@code data}, shuffling with {@code rng}. */
    void run(ImageSet data, Random rng) {
        Optimizer warm = Optimizer.sgd(0, 0);
        for (int epoch = 1; epoch <= params.warmupEpochs(); epoch++) {
            warmUpEpoch(data, rng, warm, epoch);
        }
        probe(0);
        Optimizer sgd = Optimizer.sgd(params.momentum(), params.weightDecay());
        for (int epoch = 1; epoch <= params.epochs(); epoch++) {
            last = mainEpoch(data, rng, sgd, epoch);
            last.record(ctx, epoch);
            ctx.log(last.describe(epoch, params.epochs()));
            if (params.probeEvery() > 0 && (epoch % params.probeEvery() == 0 || epoch == params.epochs())) {
                probe(epoch);
            }
        }
    }

    /** The last main epoch's statistics, or null when no main epoch ran. */
    EpochStats lastEpoch() {
        return last;
    }

    private void warmUpEpoch(ImageSet data, Random rng, Optimizer warm, int epoch) {
        String loss = model.crossEntropyLoss();
        double lossSum = 0;
        long correct = 0;
        for (int[] batch : batches(data.size(), rng)) {
            ctx.checkCancelled();
            ImageSet b = data.subset(batch);
            int[] y = b.labels();
            Map<String, INDArray> out = TrainStep.run(model, b.images(), Map.of(GraphNames.LABELS, model.oneHot(y)),
                    loss, warm, params.warmupLearningRate(), List.of(GraphNames.LOGITS));
            lossSum += out.get(loss).getDouble(0) * y.length;
            correct += Trainer.countCorrect(out.get(GraphNames.LOGITS), y);
            advance("warm-up epoch " + epoch + "/" + params.warmupEpochs());
        }
        double accuracy = correct / (double) data.size();
        ctx.curve("warmup/CE", epoch, lossSum / data.size());
        ctx.curve("warmup/clean accuracy (train mode)", epoch, accuracy);
        ctx.log(String.format(Locale.ROOT, "npd: warm-up epoch %d/%d: CE %.4f, clean accuracy %.4f", epoch,
                params.warmupEpochs(), lossSum / data.size(), accuracy));
    }

    private EpochStats mainEpoch(ImageSet data, Random rng, Optimizer sgd, int epoch) {
        EpochStats stats = new EpochStats();
        List<String> outputs = List.of(NpdObjective.L1, NpdObjective.L2, NpdObjective.L3, NpdObjective.L4,
                NpdObjective.TOTAL, GraphNames.LOGITS);
        for (int[] batch : batches(data.size(), rng)) {
            ctx.checkCancelled();
            ImageSet b = data.subset(batch);
            int[] y = b.labels();
            INDArray x = b.images();
            INDArray clean = model.output(x, BnMode.EVAL, Map.of(), GraphNames.LOGITS).get(GraphNames.LOGITS);
            int[] cleanPrediction = Evaluator.argMax(clean);
            int[] targets = TargetEstimation.perSample(clean, y, params.trueClassLogit());
            if (params.targetEstimate() == NpdParams.TargetEstimate.BATCH_MAJORITY) {
                targets = TargetEstimation.batchMajority(targets, y, model.numClasses());
            }
            PolarizerAttack.Result adv = PolarizerAttack.run(model, objective, x, targets, attack);
            int[] wrong = MostProbableWrongClass.of(adv.logits(), y);

            Map<String, INDArray> feeds = objective.outerFeeds(y, cleanPrediction, wrong, targets, params.lambdas());
            INDArray stacked = Nd4j.concat(0, x.castTo(adv.adversarial().dataType()), adv.adversarial());
            OutAndGrad r = model.outputAndGradients(stacked, BnMode.EVAL, feeds, NpdObjective.TOTAL, outputs,
                    polarizer.parameters());
            double total = r.getOutputs().get(NpdObjective.TOTAL).getDouble(0);
            if (!Double.isFinite(total)) {
                throw new IllegalStateException("npd: the loss became " + total + " in epoch " + epoch
                        + " (learningRate " + params.learningRate() + "; try a smaller one)");
            }
            sgd.step(model, r.getGradients(), params.learningRate());

            INDArray logits = r.getOutputs().get(GraphNames.LOGITS);
            int[] predicted = Evaluator.argMax(logits);
            int b2 = y.length;
            long cleanHits = 0;
            long advHits = 0;
            for (int i = 0; i < b2; i++) {
                cleanHits += predicted[i] == y[i] ? 1 : 0;
                advHits += predicted[b2 + i] == y[i] ? 1 : 0;
            }
            stats.add(b2, r.getOutputs().get(NpdObjective.L1).getDouble(0), r.getOutputs().get(NpdObjective.L2).getDouble(0),
                    r.getOutputs().get(NpdObjective.L3).getDouble(0), r.getOutputs().get(NpdObjective.L4).getDouble(0),
                    total, cleanHits, advHits, adv.steps(), adv.hitRate());
            advance("epoch " + epoch + "/" + params.epochs());
        }
        return stats;
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
