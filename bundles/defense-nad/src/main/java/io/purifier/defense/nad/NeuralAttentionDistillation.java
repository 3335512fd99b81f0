package io.purifier.defense.nad;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.ImageSet;
import io.purifier.api.defense.DefenseResult;
import io.purifier.api.run.RunContext;
import io.purifier.engine.blocks.Freezing;
import io.purifier.engine.eval.Evaluator;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.run.StageContext;
import io.purifier.engine.train.Trainer;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One NAD run: the teacher is a copy of the model fine-tuned on the clean data by the engine's {@link Trainer}
 * (curves prefixed {@code teacher }), then a second copy, the student, is trained by {@link StudentDistillation}.
 * The input model is not modified.
 */
final class NeuralAttentionDistillation {

    private NeuralAttentionDistillation() {
    }

    /**
     * Purifies a copy of {@code model}.
     *
     * @throws InvalidInputException when the data is empty or does not fit the model, or a layer is unusable
     */
    static DefenseResult purify(EngineModel model, ImageSet data, NadParams p, RunContext ctx) {
        long started = System.nanoTime();
        checkData(model, data);
        AttentionLayers at = AttentionLayers.choose(model, p);
        ctx.log("nad: attention on " + describe(at) + ", p " + p.power() + "; teacher " + p.teacherEpochs()
                + " epochs, student " + p.epochs() + " epochs on " + data.size() + " clean images");
        // the student's batch costs a teacher forward pass more than a fine-tuning batch
        double teacherShare = (double) p.teacherEpochs() / (p.teacherEpochs() + 2.0 * p.epochs());

        EngineModel teacher = model.copy();
        Freezing.unfreezeAll(teacher);
        if (p.teacherEpochs() > 0) {
            Trainer.train(teacher, data, p.augmentation(), null, p.teacherTraining(),
                    StageContext.of(ctx, 0, teacherShare, "teacher ", "nad teacher: "));
        }
        double teacherAccuracy = Evaluator.accuracy(teacher, data);
        // the teacher only runs inference from here on: its training buffers go back to the system
        teacher.releaseMemory();

        EngineModel student = model.copy();
        Freezing.unfreezeAll(student);
        double before = Evaluator.accuracy(student, data);
        StudentDistillation.Report report = StudentDistillation.run(teacher, student, data, at, p,
                StageContext.of(ctx, teacherShare, 1, "", ""));
        teacher.releaseMemory();
        student.setProperty("defense.nad", String.format(Locale.ROOT, "attention distillation on %s from a teacher "
                + "fine-tuned %d epochs, %d epochs on %d clean images, seed %d", String.join(", ", at.layers()),
                p.teacherEpochs(), p.epochs(), data.size(), ctx.seed()));
        ctx.progress(1.0, "nad: done");

        int last = p.epochs() - 1;
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("layers", String.join(", ", at.layers()));
        summary.put("betas", at.betas().toString());
        summary.put("cleanImages", data.size());
        summary.put("teacherEpochs", p.teacherEpochs());
        summary.put("epochs", p.epochs());
        summary.put("teacherDefenseDataAccuracy", teacherAccuracy);
        summary.put("defenseDataAccuracyBefore", before);
        summary.put("defenseDataAccuracyAfter", Evaluator.accuracy(student, data));
        summary.put("finalLoss", report.loss()[last]);
        summary.put("finalCrossEntropy", report.crossEntropy()[last]);
        double attention = 0;
        for (double a : report.attention()[last]) {
            attention += a;
        }
        summary.put("finalAttentionLoss", attention);
        summary.put("seconds", Math.round((System.nanoTime() - started) / 1e8) / 10.0);
        return new DefenseResult(student, summary);
    }

    private static String describe(AttentionLayers at) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < at.layers().size(); i++) {
            out.append(i == 0 ? "" : ", ").append(at.layers().get(i)).append(" (beta ").append(at.betas().get(i)).append(')');
        }
        return out.toString();
    }

    private static void checkData(EngineModel model, ImageSet data) {
        if (data.size() == 0) {
            throw new InvalidInputException("nad needs labeled clean images, but the defense data is empty");
        }
        try {
            model.checkImages(data.images());
        } catch (InvalidInputException e) {
            throw new InvalidInputException("nad: the clean images do not fit the model: " + e.getMessage(), e);
        }
        if (data.numClasses() != model.numClasses()) {
            throw new InvalidInputException("nad: the defense data has " + data.numClasses() + " classes but the model has "
                    + model.numClasses());
        }
    }
}
