package io.purifier.defense.ftsam;

import io.purifier.api.data.ImageSet;
import io.purifier.api.defense.DefenseResult;
import io.purifier.api.run.RunContext;
import io.purifier.engine.blocks.Freezing;
import io.purifier.engine.blocks.SharpnessAwareStep;
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
 * FT-SAM's loop: a copy of the model, every parameter trainable and batch norm in training mode, one
 * {@link SharpnessAwareStep} per batch of the (augmented, shuffled) clean data with the smoothed cross-entropy, the
 * base SGD at the scheduled rate and the radius that follows it. The last epoch's model is the result; nothing is
 * selected on any data.
 *
 * <p>Curves per epoch: {@code loss/train} (mean smoothed cross-entropy at the unperturbed weights),
 * {@code train/accuracy}, {@code schedule/learning rate} and {@code schedule/rho} (of the epoch's last step),
 * {@code perturbation/norm} (mean ||e||), and from the reporting probe only {@code test/<metric>}.</p>
 */
final class FtSamTraining {

    private FtSamTraining() {
    }

    /** Fine-tunes a copy of {@code model} (which is not modified). */
    static DefenseResult purify(EngineModel model, ImageSet clean, FtSamParams p, RunContext ctx) {
        long started = System.nanoTime();
        DataChecks.labeled(model, clean, FtSamDefense.ID, 2);
        EngineModel student = model.copy();
        Freezing.unfreezeAll(student);
        Optimizer sgd = Optimizer.sgd(p.momentum(), p.weightDecay());
        StepSchedule schedule = p.steps();
        Random rng = ctx.newRandom();
        boolean batchNorm = !student.batchNormLayers().isEmpty();
        int classes = student.numClasses();
        int perEpoch = Minibatches.count(clean.size(), p.batchSize(), batchNorm);
        long total = (long) perEpoch * p.epochs();
        long step = 0;
        double loss = 0;
        double accuracy = 0;
        double lr = schedule.learningRate(0, 0);
        probe(student, p, 0, ctx);
        for (int epoch = 0; epoch < p.epochs(); epoch++) {
            long start = System.nanoTime();
            double lossSum = 0;
            double normSum = 0;
            long correct = 0;
            long seen = 0;
            double rho = schedule.rho(lr);
            for (Minibatches.Batch b : Minibatches.shuffled(clean, p.batchSize(), p.augmentation(), rng, batchNorm)) {
                ctx.checkCancelled();
                lr = schedule.learningRate(epoch, step);
                rho = schedule.rho(lr);
                SharpnessAwareStep.Result r = SharpnessAwareStep.run(student, b.images(),
                        SmoothedCrossEntropy.objective(b.labels(), classes, p.labelSmoothing()), sgd, lr, p.sam(rho));
                lossSum += r.loss() * b.size();
                normSum += r.perturbationNorm();
                correct += Trainer.countCorrect(r.logits(), b.labels());
                seen += b.size();
                step++;
                ctx.progress((double) step / total, "FT-SAM epoch " + (epoch + 1) + "/" + p.epochs());
            }
            int e = epoch + 1;
            loss = seen == 0 ? 0 : lossSum / seen;
            accuracy = seen == 0 ? 0 : (double) correct / seen;
            ctx.curve("loss/train", e, loss);
            ctx.curve("train/accuracy", e, accuracy);
            ctx.curve("schedule/learning rate", e, lr);
            ctx.curve("schedule/rho", e, rho);
            ctx.curve("perturbation/norm", e, perEpoch == 0 ? 0 : normSum / perEpoch);
            probe(student, p, e, ctx);
            ctx.log(String.format(Locale.ROOT, "ft-sam epoch %d/%d: loss %.4f, accuracy %.4f, lr %.5f, rho %.3f, %.1f s",
                    e, p.epochs(), loss, accuracy, lr, rho, (System.nanoTime() - start) / 1e9));
        }
        student.setProperty("ft-sam", String.format(Locale.ROOT, "%d epochs (%d SAM steps) on %d clean images, seed %d",
                p.epochs(), step, clean.size(), ctx.seed()));
        ctx.progress(1, "done");
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("cleanImages", clean.size());
        summary.put("epochs", p.epochs());
        summary.put("steps", step);
        summary.put("finalLoss", loss);
        summary.put("finalTrainAccuracy", accuracy);
        summary.put("finalLearningRate", lr);
        summary.put("seconds", (System.nanoTime() - started) / 1e9);
        return new DefenseResult(student, summary);
    }

    private static void probe(EngineModel model, FtSamParams p, int epoch, RunContext ctx) {
        if (p.probesAt(epoch)) {
            ProbeCurves.record(model, ctx, "test/", epoch);
        }
    }
}
