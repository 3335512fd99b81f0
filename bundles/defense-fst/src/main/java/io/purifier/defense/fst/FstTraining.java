package io.purifier.defense.fst;

import io.purifier.api.data.Augmentation;
import io.purifier.api.data.ImageSet;
import io.purifier.api.defense.DefenseResult;
import io.purifier.api.run.RunContext;
import io.purifier.engine.blocks.Freezing;
import io.purifier.engine.model.BnMode;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.train.DataChecks;
import io.purifier.engine.train.Minibatches;
import io.purifier.engine.train.Optimizer;
import io.purifier.engine.run.ProbeCurves;
import io.purifier.engine.train.Trainer;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * FST's loop: a copy of the model with a fresh classifier at the original norm, every parameter trainable, batch norm
 * in training mode, SGD with a per-epoch cosine on shuffled clean batches (no augmentation: BackdoorBench loads the
 * reserved data with its test transform), each step a {@link FeatureShift#step}. The last epoch's model is the
 * result.
 *
 * <p>Curves per epoch: {@code loss/clean CE}, {@code loss/shift term} ({@code alpha <W, W0>}, mean over the epoch's
 * steps), {@code train/accuracy}, {@code classifier/cosine to original}, {@code schedule/learning rate}, and from the
 * reporting probe only {@code test/<metric>}.</p>
 */
final class FstTraining {

    private FstTraining() {
    }

    /** Tunes a copy of {@code model} (which is not modified). */
    static DefenseResult purify(EngineModel model, ImageSet clean, FstParams p, RunContext ctx) {
        long started = System.nanoTime();
        DataChecks.labeled(model, clean, FstDefense.ID, 2);
        ClassifierHead head = ClassifierHead.of(model);
        EngineModel student = model.copy();
        Freezing.unfreezeAll(student);
        FeatureShift shift = new FeatureShift(head, model.array(head.weight()).dup('c'), p.alpha());
        Random rng = ctx.newRandom();
        shift.reinitialize(student, rng);
        ctx.log(String.format(Locale.ROOT, "fst: classifier %s (%d -> %d) re-initialised at the original norm %.4f; "
                + "cosine to the original %.4f", head.node(), head.in(), head.out(), shift.originalNorm(),
                shift.cosineToOriginal(student)));
        ctx.curve("classifier/cosine to original", 0, shift.cosineToOriginal(student));
        Optimizer sgd = Optimizer.sgd(p.momentum(), p.weightDecay());
        boolean batchNorm = !student.batchNormLayers().isEmpty();
        int perEpoch = Minibatches.count(clean.size(), p.batchSize(), batchNorm);
        long total = (long) perEpoch * p.epochs();
        long step = 0;
        double ce = 0;
        double accuracy = 0;
        probe(student, p, 0, ctx);
        for (int epoch = 0; epoch < p.epochs(); epoch++) {
            long start = System.nanoTime();
            double lr = p.learningRateAt(epoch);
            double ceSum = 0;
            double shiftSum = 0;
            long correct = 0;
            long seen = 0;
            for (Minibatches.Batch b : Minibatches.shuffled(clean, p.batchSize(), Augmentation.none(), rng, batchNorm)) {
                ctx.checkCancelled();
                FeatureShift.Step s = shift.step(student, b.images(), b.labels(), BnMode.TRAIN, sgd, lr);
                ceSum += s.crossEntropy() * b.size();
                shiftSum += s.shiftTerm();
                correct += Trainer.countCorrect(s.logits(), b.labels());
                seen += b.size();
                step++;
                ctx.progress((double) step / total, "FST epoch " + (epoch + 1) + "/" + p.epochs());
            }
            int e = epoch + 1;
            ce = seen == 0 ? 0 : ceSum / seen;
            accuracy = seen == 0 ? 0 : (double) correct / seen;
            double cosine = shift.cosineToOriginal(student);
            ctx.curve("loss/clean CE", e, ce);
            ctx.curve("loss/shift term", e, perEpoch == 0 ? 0 : shiftSum / perEpoch);
            ctx.curve("train/accuracy", e, accuracy);
            ctx.curve("classifier/cosine to original", e, cosine);
            ctx.curve("schedule/learning rate", e, lr);
            probe(student, p, e, ctx);
            ctx.log(String.format(Locale.ROOT, "fst epoch %d/%d: CE %.4f, accuracy %.4f, cosine to the original "
                    + "classifier %.4f, lr %.5f, %.1f s", e, p.epochs(), ce, accuracy, cosine, lr,
                    (System.nanoTime() - start) / 1e9));
        }
        student.setProperty("fst", String.format(Locale.ROOT, "%d epochs on %d clean images, alpha %.4g, seed %d",
                p.epochs(), clean.size(), p.alpha(), ctx.seed()));
        ctx.progress(1, "done");
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("cleanImages", clean.size());
        summary.put("epochs", p.epochs());
        summary.put("steps", step);
        summary.put("classifier", head.node());
        summary.put("classifierNorm", shift.originalNorm());
        summary.put("finalCosineToOriginal", shift.cosineToOriginal(student));
        summary.put("finalCleanCE", ce);
        summary.put("finalTrainAccuracy", accuracy);
        summary.put("seconds", (System.nanoTime() - started) / 1e9);
        return new DefenseResult(student, summary);
    }

    private static void probe(EngineModel model, FstParams p, int epoch, RunContext ctx) {
        if (p.probesAt(epoch)) {
            ProbeCurves.record(model, ctx, "test/", epoch);
        }
    }
}
