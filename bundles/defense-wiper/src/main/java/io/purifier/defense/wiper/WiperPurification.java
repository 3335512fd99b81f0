package io.purifier.defense.wiper;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.ImageSet;
import io.purifier.api.run.RunContext;
import io.purifier.engine.eval.Batches;
import io.purifier.engine.eval.Evaluator;
import io.purifier.engine.model.BnMode;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.nn.GradientRequest;
import io.purifier.engine.train.LossPass;
import io.purifier.engine.train.Objective;
import io.purifier.engine.train.BatchAugmenter;
import io.purifier.engine.train.Optimizer;
import io.purifier.engine.train.Trainer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The WIPER procedure on an engine model, in place.
 *
 * <ol>
 *   <li>Warm start: one pass over the clean data (shuffled, augmented) computing cross-entropy gradients of the
 *       purifying parameters in {@link BnMode#TRAIN} and updating the {@link BenignSalience} after every batch;
 *       no parameter and no running statistic changes.</li>
 *   <li>Purification, epochs {@code e = 1..E}: per batch, select {@code floor(r_e * n)} elements of each
 *       purifying tensor by salience ({@link SelectionSchedule}, {@link SelectionRule}), compute the
 *       cross-entropy gradients of <em>all</em> parameters in TRAIN mode, add the gradient of the summed
 *       {@link AdaptiveRegularization} penalty to the purifying parameters, update the salience with the gradient
 *       of the full loss and the pre-step weights, take one SGD step on every parameter and update the batch-norm
 *       running statistics.</li>
 * </ol>
 * The penalty is added to the gradient by hand (it is elementwise, so this is exact and needs no graph change).
 * <p>Length: the two phases above share the per-batch state (salience, selection, gradients); the file is just
 * above 300 lines because each phase is kept as one readable sequence next to the paper's algorithm.</p>
 */
final class WiperPurification {

    private final EngineModel model;
    private final ImageSet data;
    private final WiperParams params;
    private final RunContext ctx;
    private final PurifyingLayers purifying;
    private final BenignSalience salience;
    private final AdaptiveRegularization penalty;
    private final SelectionSchedule schedule;
    private final SelectionRule rule;
    private final boolean hasBatchNorm;

    /**
     * @param model  the model to purify (modified in place; pass a copy)
     * @param data   the labeled clean data
     * @param params the parameters
     * @param ctx    seed, progress, curves, cancellation
     * @throws InvalidInputException when the data does not fit the model
     */
    WiperPurification(EngineModel model, ImageSet data, WiperParams params, RunContext ctx) {
        checkData(model, data);
        this.model = model;
        this.data = data;
        this.params = params;
        this.ctx = ctx;
        this.purifying = PurifyingLayers.resolve(params.layers(), model);
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (String p : purifying.parameters()) {
            sizes.put(p, (int) model.array(p).length());
        }
        this.salience = new BenignSalience(params.eta(), sizes);
        this.penalty = new AdaptiveRegularization(params.variant(), params.alpha());
        this.schedule = new SelectionSchedule(params.beta(), params.epochs());
        this.rule = params.variant() == PenaltyVariant.REFERENCE ? SelectionRule.HIGHEST_SALIENCE : params.selection();
        this.hasBatchNorm = !model.batchNormLayers().isEmpty();
    }

    /** The resolved purifying layers and parameters. */
    PurifyingLayers purifying() {
        return purifying;
    }

    /** The salience state (live). */
    BenignSalience salience() {
        return salience;
    }

    /**
     * Runs warm start and purification.
     *
     * @return a few facts for the defense result's summary
     */
    Map<String, Object> run() {
        long start = System.nanoTime();
        // Fine-tuning of all parameters: a frozen set inherited from an earlier step is lifted (batch-norm layers
        // pinned to running statistics stay pinned: that is part of the model's definition).
        model.unfreeze(model.parameterNames());
        Random rng = ctx.newRandom();
        Optimizer optimizer = Optimizer.sgd(params.momentum(), params.weightDecay());
        int batchesPerEpoch = (data.size() + params.batchSize() - 1) / params.batchSize();
        long totalBatches = (long) batchesPerEpoch * (params.epochs() + 1);

        double cleanBefore = Evaluator.accuracy(model, data);
        double l1Before = purifyingL1();
        ctx.curve("clean/accuracy", 0, cleanBefore);
        ctx.curve("weights/purifying-L1", 0, l1Before);
        probe(0);
        ctx.log(String.format(Locale.ROOT, "wiper: %s variant, %s selection, purifying %s (%d elements), alpha %s, "
                        + "beta %s, eta %s, %d epochs, lr %s; %d clean images, accuracy before %.4f",
                params.variant().id(), rule.id(), String.join(", ", purifying.parameters()), purifiedElements(),
                params.alpha(), params.beta(), params.eta(), params.epochs(), params.learningRate(), data.size(),
                cleanBefore));

        warmUp(rng, batchesPerEpoch, totalBatches);
        EpochRecord last = null;
        for (int epoch = 1; epoch <= params.epochs(); epoch++) {
            last = purifyEpoch(epoch, rng, optimizer, batchesPerEpoch, totalBatches);
        }

        double cleanAfter = Evaluator.accuracy(model, data);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("variant", params.variant().id());
        summary.put("selection", rule.id());
        summary.put("purifyingLayers", String.join(", ", purifying.layers()));
        summary.put("purifiedElements", purifiedElements());
        summary.put("epochs", params.epochs());
        summary.put("cleanAccuracyBefore", cleanBefore);
        summary.put("cleanAccuracyAfter", cleanAfter);
        summary.put("purifyingL1Before", l1Before);
        summary.put("purifyingL1After", purifyingL1());
        summary.put("finalPenalty", last == null ? 0.0 : last.penalty());
        summary.put("elementsAboveOne", elementsAboveOne());
        summary.put("seconds", (System.nanoTime() - start) / 1e9);
        ctx.log(String.format(Locale.ROOT, "wiper: done; clean accuracy on the defense data %.4f -> %.4f, L1 of the "
                + "purifying parameters %.4f -> %.4f", cleanBefore, cleanAfter, l1Before, purifyingL1()));
        return summary;
    }

    /** One pass over the data updating the salience from cross-entropy gradients only; nothing else changes. */
    void warmUp(Random rng, int batchesPerEpoch, long totalBatches) {
        int[][] batches = BatchOrder.shuffled(data.size(), params.batchSize(), rng);
        for (int b = 0; b < batches.length; b++) {
            ctx.checkCancelled();
            int[] idx = batches[b];
            if (hasBatchNorm && idx.length == 1) {
                continue;
            }
            INDArray x = BatchAugmenter.apply(Batches.gather(data.images(), idx), params.augmentation(), rng);
            try (LossPass r = LossPass.run(model, x, BnMode.TRAIN,
                    GradientRequest.parameters(purifying.parameters()), Objective.crossEntropy(labelArray(idx)), false)) {
                for (String p : purifying.parameters()) {
                    salience.update(p, Arrays1d.flat(r.parameterGradients().get(p)), Arrays1d.flat(model.array(p)));
                }
            }
            ctx.progress((double) (b + 1) / totalBatches, "warm start: benign salience");
        }
    }

    /** One purification epoch (1-based). */
    EpochRecord purifyEpoch(int epoch, Random rng, Optimizer optimizer, int batchesPerEpoch, long totalBatches) {
        long start = System.nanoTime();
        GradientRequest trainable = model.trainableRequest();
        double ceSum = 0;
        double penaltySum = 0;
        long correct = 0;
        long seen = 0;
        int steps = 0;
        long selected = 0;
        int[][] batches = BatchOrder.shuffled(data.size(), params.batchSize(), rng);
        for (int b = 0; b < batches.length; b++) {
            ctx.checkCancelled();
            int[] idx = batches[b];
            if (hasBatchNorm && idx.length == 1) {
                continue;
            }
            Map<String, boolean[]> masks = new HashMap<>();
            selected = 0;
            for (String p : purifying.parameters()) {
                double[] s = salience.of(p);
                boolean[] mask = rule.select(s, schedule.count(epoch, s.length));
                masks.put(p, mask);
                for (boolean m : mask) {
                    selected += m ? 1 : 0;
                }
            }
            INDArray x = BatchAugmenter.apply(Batches.gather(data.images(), idx), params.augmentation(), rng);
            try (LossPass r = LossPass.run(model, x, BnMode.TRAIN, trainable, Objective.crossEntropy(labelArray(idx)))) {
                Map<String, INDArray> grads = new HashMap<>(r.parameterGradients());
                double ce = r.loss();
                double batchPenalty = 0;
                for (String p : purifying.parameters()) {
                    INDArray live = model.array(p);
                    double[] w = Arrays1d.flat(live);
                    double[] g = new double[w.length];
                    batchPenalty += penalty.apply(w, masks.get(p), g);
                    if (grads.containsKey(p)) {
                        double[] ceGrad = Arrays1d.flat(grads.get(p));
                        for (int i = 0; i < g.length; i++) {
                            g[i] += ceGrad[i];
                        }
                    }
                    salience.update(p, g, w);
                    grads.put(p, Arrays1d.shaped(g, live));
                }
                if (!Double.isFinite(ce + batchPenalty)) {
                    throw new IllegalStateException("wiper diverged: loss is " + (ce + batchPenalty) + " in epoch " + epoch
                            + ", batch " + (b + 1) + " (lower learningRate " + params.learningRate() + " or alpha "
                            + params.alpha() + ")");
                }
                optimizer.step(model, grads, params.learningRate());
                ceSum += ce;
                penaltySum += batchPenalty;
                steps++;
                correct += Trainer.countCorrect(r.logits(), labelArray(idx));
            }
            seen += idx.length;
            long done = (long) epoch * batchesPerEpoch + b + 1;
            ctx.progress((double) done / totalBatches, "purification epoch " + epoch + "/" + params.epochs());
        }
        EpochRecord rec = new EpochRecord(epoch, steps == 0 ? 0 : ceSum / steps, steps == 0 ? 0 : penaltySum / steps,
                seen == 0 ? 0 : (double) correct / seen, schedule.fraction(epoch), selected);
        double clean = Evaluator.accuracy(model, data);
        ctx.curve("loss/cross-entropy", epoch, rec.crossEntropy());
        ctx.curve("loss/penalty", epoch, rec.penalty());
        ctx.curve("train/accuracy", epoch, rec.trainAccuracy());
        ctx.curve("clean/accuracy", epoch, clean);
        ctx.curve("selection/fraction", epoch, rec.fraction());
        ctx.curve("weights/purifying-L1", epoch, purifyingL1());
        probe(epoch);
        ctx.log(String.format(Locale.ROOT, "wiper epoch %d/%d: CE %.4f, penalty %.4f, train accuracy %.4f, clean "
                        + "accuracy %.4f, selected %d of %d elements (fraction %.3f), %.1f s", epoch, params.epochs(),
                rec.crossEntropy(), rec.penalty(), rec.trainAccuracy(), clean, selected, purifiedElements(),
                rec.fraction(), (System.nanoTime() - start) / 1e9));
        return rec;
    }

    /**
     * Per-epoch means.
     *
     * @param epoch         1-based epoch
     * @param crossEntropy  mean batch cross-entropy
     * @param penalty       mean batch penalty
     * @param trainAccuracy accuracy of the TRAIN-mode forward passes on the augmented batches
     * @param fraction      the scheduled selection fraction
     * @param selected      elements selected in the epoch's last batch
     */
    record EpochRecord(int epoch, double crossEntropy, double penalty, double trainAccuracy, double fraction,
                       long selected) {
    }

    private void probe(int epoch) {
        ctx.reportingProbe().ifPresent(probe -> {
            for (Map.Entry<String, Double> e : probe.evaluate(model).entrySet()) {
                if (e.getValue() != null && Double.isFinite(e.getValue())) {
                    ctx.curve("test/" + e.getKey(), epoch, e.getValue());
                }
            }
        });
    }

    private long purifiedElements() {
        long n = 0;
        for (String p : purifying.parameters()) {
            n += model.array(p).length();
        }
        return n;
    }

    private double purifyingL1() {
        double sum = 0;
        for (String p : purifying.parameters()) {
            sum += model.array(p).norm1Number().doubleValue();
        }
        return sum;
    }

    private long elementsAboveOne() {
        long n = 0;
        for (String p : purifying.parameters()) {
            for (double w : Arrays1d.flat(model.array(p))) {
                n += Math.abs(w) > 1 ? 1 : 0;
            }
        }
        return n;
    }

    private int[] labelArray(int[] idx) {
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = data.label(idx[i]);
        }
        return out;
    }

    private static void checkData(EngineModel model, ImageSet data) {
        var info = model.info();
        if (data.channels() != info.channels() || data.height() != info.height() || data.width() != info.width()) {
            throw new InvalidInputException("the clean data is " + data.channels() + "x" + data.height() + "x"
                    + data.width() + " but the model expects " + info.inputShape());
        }
        if (data.numClasses() != info.numClasses()) {
            throw new InvalidInputException("the clean data has " + data.numClasses() + " classes but the model has "
                    + info.numClasses());
        }
        if (data.size() < 2) {
            throw new InvalidInputException("wiper needs at least 2 clean images, got " + data.size());
        }
    }
}
