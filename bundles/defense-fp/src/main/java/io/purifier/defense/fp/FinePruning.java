package io.purifier.defense.fp;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.ImageSet;
import io.purifier.api.defense.DefenseResult;
import io.purifier.api.run.RunContext;
import io.purifier.engine.blocks.Freezing;
import io.purifier.engine.eval.Evaluator;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.run.ProbeCurves;
import io.purifier.engine.run.StageContext;
import io.purifier.engine.train.Trainer;
import io.purifier.engine.train.TrainingReport;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One Fine-Pruning run on a copy of the model: {@link ChannelPruning} (the first tenth of the progress), then
 * fine-tuning of every weight with the mask in place by the engine's {@link Trainer} (the rest). The result carries
 * the mask as a {@code <layer>.mask} node, so the pruned channels stay silent wherever the model goes.
 */
final class FinePruning {

    /** Share of the step's progress given to the pruning search. */
    static final double PRUNING_SHARE = 0.1;

    private FinePruning() {
    }

    /**
     * Purifies a copy of {@code model} (which is not modified).
     *
     * @throws InvalidInputException when the data is empty or does not fit the model, or the layer is unusable
     */
    static DefenseResult purify(EngineModel model, ImageSet data, FinePruningParams p, RunContext ctx) {
        long started = System.nanoTime();
        checkData(model, data);
        EngineModel work = model.copy();
        Freezing.unfreezeAll(work);
        String layer = PruningLayer.choose(work, p.layer());
        ctx.log(String.format(Locale.ROOT, "fp: ranking the %d channels of %s by mean activation on %d clean images; "
                        + "step %.2f%% of the channels, tolerance %.0f%% of the clean accuracy", work.outputShape(layer, 1)[1],
                layer, data.size(), 100 * p.oncePruneRatio(), 100 * p.accRatio()));

        ChannelPruning.Result pruning = ChannelPruning.run(work, layer, data,
                p, StageContext.of(ctx, 0, PRUNING_SHARE, "", ""));
        ctx.log(String.format(Locale.ROOT, "fp: pruned %d of %d channels of %s (least active first: %s); clean accuracy "
                        + "%.4f -> %.4f", pruning.pruned(), pruning.channels(), layer, head(pruning.order(), pruning.pruned()),
                pruning.unprunedAccuracy(), pruning.prunedAccuracy()));

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("layer", layer);
        summary.put("channels", pruning.channels());
        summary.put("prunedChannels", pruning.pruned());
        summary.put("prunedFraction", (double) pruning.pruned() / pruning.channels());
        summary.put("pruneStep", pruning.step());
        summary.put("cleanImages", data.size());
        summary.put("defenseDataAccuracyBefore", pruning.unprunedAccuracy());
        summary.put("defenseDataAccuracyAfterPruning", pruning.prunedAccuracy());
        summary.put("epochs", p.epochs());
        if (p.epochs() > 0) {
            RunContext tuning = StageContext.of(ctx, PRUNING_SHARE, 1, "", "fp fine-tuning: ");
            ProbeCurves.record(work, tuning, "test/", 0);
            TrainingReport report = Trainer.train(work, data, p.augmentation(), null, p.training(), tuning);
            summary.put("finalTrainLoss", report.last().loss());
        }
        summary.put("defenseDataAccuracyAfter", Evaluator.accuracy(work, data));
        work.setProperty("defense.fp", String.format(Locale.ROOT, "%d of %d channels of %s pruned, then %d epochs of "
                + "fine-tuning on %d clean images, seed %d", pruning.pruned(), pruning.channels(), layer, p.epochs(),
                data.size(), ctx.seed()));
        ctx.progress(1.0, "fp: done");
        summary.put("seconds", Math.round((System.nanoTime() - started) / 1e8) / 10.0);
        return new DefenseResult(work, summary);
    }

    private static String head(int[] order, int count) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(count, 12); i++) {
            out.append(i == 0 ? "" : ", ").append(order[i]);
        }
        return count == 0 ? "none" : count > 12 ? out + ", ..." : out.toString();
    }

    private static void checkData(EngineModel model, ImageSet data) {
        if (data.size() == 0) {
            throw new InvalidInputException("fp needs labeled clean images, but the defense data is empty");
        }
        try {
            model.checkImages(data.images());
        } catch (InvalidInputException e) {
            throw new InvalidInputException("fp: the clean images do not fit the model: " + e.getMessage(), e);
        }
        if (data.numClasses() != model.numClasses()) {
            throw new InvalidInputException("fp: the defense data has " + data.numClasses() + " classes but the model has "
                    + model.numClasses());
        }
    }
}
