package io.purifier.engine.train;

import io.purifier.api.InvalidInputException;
import io.purifier.api.attack.TrainingBatch;
import io.purifier.api.attack.TrainingHook;
import io.purifier.api.data.Augmentation;
import io.purifier.api.data.ImageSet;
import io.purifier.api.run.RunContext;
import io.purifier.engine.model.BnMode;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.nn.GradientRequest;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Supervised training with cross-entropy: seeded shuffling and augmentation, optional training hook (attacks
 * that rewrite batches), batch norm in {@link BnMode#TRAIN} with running statistics updated after each step,
 * SGD/Adam with a per-epoch schedule, progress and curves to the run context, cancellation between batches.
 *
 * <p>Deterministic: with the same model, data, config and {@link RunContext#seed()}, the resulting weights
 * are bit-identical. A final batch of one image is skipped when the model has batch norm (PyTorch refuses
 * it: the batch variance would be 0).</p>
 */
public final class Trainer {

    private Trainer() {
    }

    /**
     * Trains {@code model} in place.
     *
     * @param model the model (its trainable, non-frozen parameters are updated)
     * @param train labelled training images in [0, 1]
     * @param aug   train-time augmentation (applied before the hook)
     * @param hook  rewrites each batch after augmentation and before normalization; may be null
     * @param cfg   optimiser, schedule, epochs, batch size
     * @param ctx   seed, progress, curves {@code train/loss}, {@code train/accuracy}, {@code train/lr} and, when
     *              the context has a reporting probe, {@code test/<metric>} after every epoch; cancellation
     * @return per-epoch loss and accuracy
     * @throws InvalidInputException when the data does not fit the model
     */
    public static TrainingReport train(EngineModel model, ImageSet train, Augmentation aug, TrainingHook hook,
                                       TrainingConfig cfg, RunContext ctx) {
        return train(model, train, aug, hook, cfg, ctx, TrainingCheckpoints.none());
    }

    /**
     * Trains {@code model} in place, saving its state at epoch ends to {@code checkpoints} and, when they hold a
     * usable checkpoint of this training, resuming after its last saved epoch: the curves of the epochs done are
     * replayed to {@code ctx} and the result is bit-identical to an uninterrupted training.
     *
     * @param checkpoints where to save and find the training's state ({@link TrainingCheckpoints#none()}: nowhere)
     * @see #train(EngineModel, ImageSet, Augmentation, TrainingHook, TrainingConfig, RunContext)
     */
    public static TrainingReport train(EngineModel model, ImageSet train, Augmentation aug, TrainingHook hook,
                                       TrainingConfig cfg, RunContext ctx, TrainingCheckpoints checkpoints) {
        checkData(model, train);
        Random rng = ctx.newRandom();
        Optimizer optimizer = cfg.newOptimizer();
        GradientRequest trainable = model.trainableRequest();
        boolean hasBatchNorm = !model.batchNormLayers().isEmpty();
        int n = train.size();
        int batchesPerEpoch = (n + cfg.batchSize() - 1) / cfg.batchSize();
        long totalBatches = (long) batchesPerEpoch * cfg.epochs();
        List<EpochStats> epochs = new ArrayList<>();
        List<Map<String, Double>> probes = new ArrayList<>();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        var resumed = checkpoints.resume(model, cfg, n, ctx);
        if (resumed.isPresent()) {
            CheckpointState state = resumed.get().state();
            optimizer = resumed.get().optimizer();
            rng = resumed.get().random();
            order = state.order();
            epochs.addAll(state.epochs());
            probes.addAll(state.probes());
            replayCurves(state, ctx);
            ctx.progress((double) state.epochsDone() / cfg.epochs(), "resumed after epoch " + state.epochsDone());
        }
        for (int epoch = epochs.size(); epoch < cfg.epochs(); epoch++) {
            long start = System.nanoTime();
            double lr = cfg.learningRateAt(epoch);
            shuffle(order, rng);
            double lossSum = 0;
            long correct = 0;
            long seen = 0;
            for (int b = 0; b < batchesPerEpoch; b++) {
                ctx.checkCancelled();
                int from = b * cfg.batchSize();
                int to = Math.min(n, from + cfg.batchSize());
                int[] idx = java.util.Arrays.copyOfRange(order, from, to);
                TrainingBatch batch = new TrainingBatch(BatchAugmenter.apply(io.purifier.engine.eval.Batches.gather(train.images(), idx), aug, rng),
                        labelsOf(train, idx), idx);
                if (hook != null) {
                    batch = hook.apply(batch, rng);
                }
                if (batch.size() == 0 || (hasBatchNorm && batch.size() == 1)) {
                    continue;
                }
                double batchLoss;
                try (LossPass r = step(model, batch, trainable, epoch, b, cfg)) {
                    optimizer.step(model, r.parameterGradients(), lr);
                    batchLoss = r.loss();
                    correct += countCorrect(r.logits(), batch.labels());
                }
                lossSum += batchLoss * batch.size();
                seen += batch.size();
                long done = (long) epoch * batchesPerEpoch + b + 1;
                ctx.progress((double) done / totalBatches, "epoch " + (epoch + 1) + "/" + cfg.epochs());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            EpochStats stats = new EpochStats(epoch + 1, seen == 0 ? 0 : lossSum / seen,
                    seen == 0 ? 0 : (double) correct / seen, lr, seen, seconds);
            epochs.add(stats);
            ctx.curve("train/loss", stats.epoch(), stats.loss());
            ctx.curve("train/accuracy", stats.epoch(), stats.accuracy());
            ctx.curve("train/lr", stats.epoch(), lr);
            probes.add(reportProbe(model, ctx, stats.epoch()));
            ctx.log(String.format(java.util.Locale.ROOT, "epoch %d/%d: loss %.4f, accuracy %.4f, lr %.5f, %.0f img/s",
                    stats.epoch(), cfg.epochs(), stats.loss(), stats.accuracy(), lr, stats.imagesPerSecond()));
            checkpoints.saveIfDue(cfg.epochs(), model, optimizer, rng, order, epochs, probes, cfg, ctx);
        }
        return new TrainingReport(epochs);
    }

    private static LossPass step(EngineModel model, TrainingBatch batch, GradientRequest trainable, int epoch, int b,
                                 TrainingConfig cfg) {
        try {
            return LossPass.run(model, batch.images(), BnMode.TRAIN, trainable, Objective.crossEntropy(batch.labels()));
        } catch (IllegalStateException e) {
            throw new IllegalStateException("training diverged: " + e.getMessage() + " in epoch " + (epoch + 1)
                    + ", batch " + (b + 1) + " (lower the learning rate " + cfg.learningRate() + ")", e);
        }
    }

    /**
     * Records the reporting probe's metrics (test C-ACC, ASR, ...) as curves {@code test/<name>}, if there is one.
     *
     * @return the finite values recorded (empty without a probe)
     */
    private static Map<String, Double> reportProbe(EngineModel model, RunContext ctx, int epoch) {
        Map<String, Double> values = new TreeMap<>();
        ctx.reportingProbe().ifPresent(probe -> probe.evaluate(model).forEach((name, value) -> {
            if (value != null && Double.isFinite(value)) {
                ctx.curve("test/" + name, epoch, value);
                values.put(name, value);
            }
        }));
        return values;
    }

    /** The curves of the epochs a checkpoint has done, so that a resumed run's curves start at epoch 1. */
    private static void replayCurves(CheckpointState state, RunContext ctx) {
        for (int i = 0; i < state.epochs().size(); i++) {
            EpochStats stats = state.epochs().get(i);
            ctx.curve("train/loss", stats.epoch(), stats.loss());
            ctx.curve("train/accuracy", stats.epoch(), stats.accuracy());
            ctx.curve("train/lr", stats.epoch(), stats.learningRate());
            if (i < state.probes().size()) {
                state.probes().get(i).forEach((name, value) -> ctx.curve("test/" + name, stats.epoch(), value));
            }
        }
    }

    /** Number of rows of {@code logits} whose arg-max equals the label. */
    public static long countCorrect(INDArray logits, int[] labels) {
        int[] pred = io.purifier.engine.eval.Evaluator.argMax(logits);
        long correct = 0;
        for (int i = 0; i < labels.length; i++) {
            if (pred[i] == labels[i]) {
                correct++;
            }
        }
        return correct;
    }

    private static int[] labelsOf(ImageSet set, int[] idx) {
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = set.label(idx[i]);
        }
        return out;
    }

    private static void shuffle(int[] a, Random rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static void checkData(EngineModel model, ImageSet train) {
        var info = model.info();
        if (train.channels() != info.channels() || train.height() != info.height() || train.width() != info.width()) {
            throw new InvalidInputException("training images are " + train.channels() + "x" + train.height() + "x"
                    + train.width() + " but the model expects " + info.inputShape());
        }
        if (train.numClasses() != info.numClasses()) {
            throw new InvalidInputException("training data has " + train.numClasses() + " classes but the model has "
                    + info.numClasses());
        }
        if (train.size() == 0) {
            throw new InvalidInputException("the training set is empty");
        }
    }
}
