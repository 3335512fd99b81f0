package io.purifier.defense.ft;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.ImageSet;
import io.purifier.api.defense.DefenseResult;
import io.purifier.api.run.RunContext;
import io.purifier.engine.blocks.Freezing;
import io.purifier.engine.eval.Evaluator;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.run.ProbeCurves;
import io.purifier.engine.train.Trainer;
import io.purifier.engine.train.TrainingReport;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One FT run: a copy of the model with every parameter trainable (frozen sets and pinned batch norms released) is
 * trained with cross-entropy on the clean data by the engine's {@link Trainer} (batch norm in training mode,
 * seeded shuffling and augmentation, cancellation between batches); the last epoch's model is the result.
 */
final class FineTuning {

    private FineTuning() {
    }

    /**
     * Fine-tunes a copy of {@code model} (which is not modified).
     *
     * @param model the possibly backdoored model
     * @param data  the labeled clean defense data
     * @param p     the parameters
     * @param ctx   seed, progress, curves, cancellation, reporting probe
     * @return the fine-tuned copy and summary facts
     * @throws InvalidInputException when the data is empty or does not fit the model
     */
    static DefenseResult purify(EngineModel model, ImageSet data, FineTuningParams p, RunContext ctx) {
        long started = System.nanoTime();
        checkData(model, data);
        EngineModel tuned = model.copy();
        Freezing.unfreezeAll(tuned);
        double before = Evaluator.accuracy(tuned, data);
        ctx.log(String.format(Locale.ROOT, "ft: %d clean images, accuracy before %.4f; %d epochs of %s lr %.4g (%s), "
                        + "batch %d, crop padding %d%s", data.size(), before, p.epochs(), p.optimizer(), p.learningRate(),
                p.schedule(), p.batchSize(), p.cropPadding(), p.horizontalFlip() ? ", flips" : ""));
        ProbeCurves.record(tuned, ctx, "test/", 0);
        TrainingReport report = Trainer.train(tuned, data, p.augmentation(), null, p.training(), ctx);
        double after = Evaluator.accuracy(tuned, data);
        tuned.setProperty("defense.ft", String.format(Locale.ROOT, "fine-tuned %d epochs on %d clean images, seed %d",
                p.epochs(), data.size(), ctx.seed()));
        ctx.progress(1.0, "ft: done");

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("cleanImages", data.size());
        summary.put("epochs", p.epochs());
        summary.put("defenseDataAccuracyBefore", before);
        summary.put("defenseDataAccuracyAfter", after);
        summary.put("finalTrainLoss", report.last().loss());
        summary.put("seconds", Math.round((System.nanoTime() - started) / 1e8) / 10.0);
        return new DefenseResult(tuned, summary);
    }

    private static void checkData(EngineModel model, ImageSet data) {
        if (data.size() == 0) {
            throw new InvalidInputException("ft needs labeled clean images, but the defense data is empty");
        }
        try {
            model.checkImages(data.images());
        } catch (InvalidInputException e) {
            throw new InvalidInputException("ft: the clean images do not fit the model: " + e.getMessage(), e);
        }
        if (data.numClasses() != model.numClasses()) {
            throw new InvalidInputException("ft: the defense data has " + data.numClasses() + " classes but the model has "
                    + model.numClasses());
        }
    }
}
