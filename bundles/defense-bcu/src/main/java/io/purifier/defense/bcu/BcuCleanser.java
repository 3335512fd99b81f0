package io.purifier.defense.bcu;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.UnlabeledImages;
import io.purifier.api.defense.DefenseResult;
import io.purifier.api.run.RunContext;
import io.purifier.engine.eval.Evaluator;
import io.purifier.engine.model.BatchNormLayer;
import io.purifier.engine.model.EngineModel;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * BCU from start to end on an engine model: copy the teacher, re-initialize the copy layer-wise, distil the
 * teacher into it on the unlabeled images, and return the last epoch's student as a clean copy of the teacher's
 * graph carrying the student's parameters and batch-norm statistics (so the distillation losses do not stay in
 * the purified model).
 */
final class BcuCleanser {

    private BcuCleanser() {
    }

    /**
     * Purifies {@code teacher} (which is not modified).
     *
     * @param teacher   the backdoored model
     * @param unlabeled the unlabeled images
     * @param p         the parameters
     * @param ctx       seed, progress, curves, cancellation
     * @return the purified model and summary facts
     * @throws InvalidInputException when the images do not fit the model
     */
    static DefenseResult purify(EngineModel teacher, UnlabeledImages unlabeled, BcuParams p, RunContext ctx) {
        long started = System.nanoTime();
        try {
            teacher.checkImages(unlabeled.images());
        } catch (InvalidInputException e) {
            throw new InvalidInputException("bcu: the unlabeled images do not fit the model: " + e.getMessage(), e);
        }
        if (unlabeled.size() < 2) {
            throw new InvalidInputException("bcu needs at least 2 unlabeled images, got " + unlabeled.size());
        }
        int[] teacherVotes = Evaluator.predict(teacher, unlabeled.images());
        TeacherLabels labels = TeacherLabels.of(teacherVotes, teacher.numClasses());
        ctx.log("bcu: the teacher's labels of the unlabeled images, share per class: " + labels.describe());
        labels.warning(teacher.info().classNames().get(labels.topClass())).ifPresent(ctx::warn);
        SplittableRandom seeds = new SplittableRandom(ctx.seed());
        long twinSeed = seeds.nextLong();
        long maskSeed = seeds.nextLong();

        ctx.progress(0, "layer-wise re-initialization");
        EngineModel student = teacher.copy();
        student.unfreeze(student.frozenParameters());
        LayerwiseReinitialization.Report reinit = LayerwiseReinitialization.apply(student, p.reinitRatios(),
                p.stageMapping(), p.reinitInit(), twinSeed, maskSeed);
        logReinit(reinit, p, ctx);

        UnlabeledDistillation.Report kd = UnlabeledDistillation.run(teacher, student, unlabeled.images(), teacherVotes, p,
                ctx);

        EngineModel purified = teacher.copy();
        for (String param : student.parameterNames()) {
            purified.assign(param, student.array(param));
        }
        for (BatchNormLayer bn : student.batchNormLayers()) {
            purified.assign(bn.runningMean(), student.array(bn.runningMean()));
            purified.assign(bn.runningVar(), student.array(bn.runningVar()));
        }
        purified.setProperty("bcu", String.format(Locale.ROOT, "%d epochs on %d unlabeled images, seed %d",
                p.epochs(), unlabeled.size(), ctx.seed()));
        ctx.progress(1, "done");

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("unlabeledImages", unlabeled.size());
        summary.put("epochs", p.epochs());
        summary.put("reinitializedFraction", reinit.replacedFraction());
        for (int s = 0; s < ReinitStages.SLOTS.size(); s++) {
            if (reinit.elements()[s] > 0) {
                summary.put("reinitialized." + ReinitStages.SLOTS.get(s), reinit.replaced()[s]);
            }
        }
        summary.put("teacherTopClass", labels.topClass());
        summary.put("teacherTopShare", labels.topShare());
        summary.put("agreementAfterReinit", kd.agreements()[0]);
        summary.put("finalAgreement", kd.agreements()[p.epochs()]);
        summary.put("finalKL", kd.losses()[p.epochs() - 1]);
        summary.put("finalTemperature", kd.temperatures()[p.epochs() - 1]);
        summary.put("seconds", (System.nanoTime() - started) / 1e9);
        return new DefenseResult(purified, summary);
    }

    private static void logReinit(LayerwiseReinitialization.Report r, BcuParams p, RunContext ctx) {
        StringBuilder layers = new StringBuilder();
        r.layerSlots().forEach((layer, slot) -> layers.append(layers.length() == 0 ? "" : ", ").append(layer)
                .append(" -> ").append(ReinitStages.SLOTS.get(slot)));
        ctx.log("bcu: stage mapping (" + p.stageMapping().id() + "): " + layers);
        for (int s = 0; s < ReinitStages.SLOTS.size(); s++) {
            if (r.elements()[s] > 0) {
                ctx.log(String.format(Locale.ROOT, "bcu: %s: replaced %d of %d weight elements (%.4f, ratio %.4f)",
                        ReinitStages.SLOTS.get(s), r.replaced()[s], r.elements()[s],
                        (double) r.replaced()[s] / r.elements()[s], p.reinitRatios().get(s)));
            }
        }
    }
}
