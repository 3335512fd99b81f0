package io.purifier.defense.nc;

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

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * One Neural Cleanse run: a {@link TriggerSearch} per class ({@code detectionRuns} times), the
 * {@link OutlierDetection} over the mask norms, the triggers as artifacts ({@link TriggerImages}), then — when a class
 * is flagged — unlearning: a copy of the model fine-tuned by the engine's {@link Trainer} on the
 * {@link UnlearningSet}. When no class is flagged the model is returned unchanged (a copy), as in the reference.
 *
 * <p>Curves: {@code search/mask norm (class k)} per search epoch, {@code detection/mask norm} and
 * {@code detection/attack success} per class (x = class), then the unlearning's {@code train/*} and, from the
 * reporting probe only, {@code test/*} before (x = 0) and after every epoch.</p>
 */
final class NeuralCleanse {

    private NeuralCleanse() {
    }

    /**
     * Detects and, if needed, unlearns on a copy of {@code model} (which is not modified).
     *
     * @throws InvalidInputException when the data is empty or does not fit the model
     */
    static DefenseResult purify(EngineModel model, ImageSet data, NcParams p, RunContext ctx) {
        long started = System.nanoTime();
        checkData(model, data);
        int classes = model.numClasses();
        double searchWork = (double) classes * p.searchEpochs() * p.detectionRuns();
        double detectionShare = searchWork / (searchWork + p.epochs());
        SplittableRandom seeds = new SplittableRandom(ctx.seed());
        Random searchRng = new Random(seeds.nextLong());
        Random unlearnRng = new Random(seeds.nextLong());
        ctx.log(String.format(Locale.ROOT, "nc: reverse-engineering a trigger for each of %d classes on %d clean images "
                        + "(%d epochs at most, %s norm, success threshold %.2f), %d run(s)", classes, data.size(),
                p.searchEpochs(), p.l1() ? "L1" : "L2", p.attackSuccessThreshold(), p.detectionRuns()));

        Set<Integer> flagged = new LinkedHashSet<>();
        List<TriggerSearch.Result> results = new ArrayList<>();
        OutlierDetection detection = null;
        RunContext detecting = StageContext.of(ctx, 0, detectionShare, "", "");
        for (int run = 0; run < p.detectionRuns(); run++) {
            results = new ArrayList<>();
            for (int k = 0; k < classes; k++) {
                double done = (double) run * classes + k;
                int target = k;
                TriggerSearch.Result r = TriggerSearch.run(model, data, k, p, searchRng, detecting,
                        f -> detecting.progress((done + f) / ((double) classes * p.detectionRuns()), "nc: searching class " + target));
                results.add(r);
                ctx.log(String.format(Locale.ROOT, "nc: class %d (%s): mask norm %.3f, attack success %.3f, %d epochs",
                        k, model.info().classNames().get(k), r.norm(), r.attackSuccess(), r.epochs()));
            }
            double[] norms = results.stream().mapToDouble(TriggerSearch.Result::norm).toArray();
            detection = OutlierDetection.of(norms, p.anomalyThreshold());
            flagged.addAll(detection.flagged());
        }
        for (TriggerSearch.Result r : results) {
            ctx.curve("detection/mask norm", r.target(), r.norm());
            ctx.curve("detection/attack success", r.target(), r.attackSuccess());
        }
        TriggerImages.write(ctx.artifactDir(), results, detection, model.info().classNames());
        ctx.log(String.format(Locale.ROOT, "nc: median norm %.3f, MAD %.3f, anomaly index %s; flagged: %s",
                detection.median(), detection.mad(), anomaly(detection), flagged.isEmpty() ? "none" : flagged));

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("flaggedClass", flagged.isEmpty() ? -1 : flagged.iterator().next());
        summary.put("flaggedClasses", describe(flagged, model.info().classNames()));
        summary.put("anomalyIndex", Double.isFinite(detection.anomalyIndex()) ? detection.anomalyIndex() : (Object) "infinite (MAD 0)");
        summary.put("medianNorm", detection.median());
        summary.put("mad", detection.mad());
        summary.put("minNorm", java.util.Arrays.stream(detection.norms()).min().orElseThrow());
        summary.put("cleanImages", data.size());

        EngineModel out = model.copy();
        Freezing.unfreezeAll(out);
        if (flagged.isEmpty()) {
            ctx.log("nc: no class is flagged; the model is returned unchanged");
            out.setProperty("defense.nc", "no class flagged (anomaly index " + anomaly(detection) + "), unchanged");
            summary.put("unlearningImages", 0);
        } else {
            List<Trigger> triggers = new ArrayList<>();
            for (int k : flagged) {
                triggers.add(results.get(k).trigger());
            }
            ImageSet unlearning = UnlearningSet.build(data, triggers, p.unlearningRatio(), unlearnRng);
            ctx.log(String.format(Locale.ROOT, "nc: unlearning on %d images (%d clean, %d stamped with the trigger of %s) "
                    + "for %d epochs", unlearning.size(), (int) (data.size() * (1 - p.unlearningRatio())),
                    unlearning.size() - (int) (data.size() * (1 - p.unlearningRatio())), flagged, p.epochs()));
            RunContext unlearningCtx = StageContext.of(ctx, detectionShare, 1, "", "nc unlearning: ");
            ProbeCurves.record(out, unlearningCtx, "test/", 0);
            TrainingReport report = Trainer.train(out, unlearning, p.augmentation(), null, p.training(), unlearningCtx);
            out.setProperty("defense.nc", String.format(Locale.ROOT, "flagged %s (anomaly index %s), unlearnt %d epochs "
                    + "on %d images, seed %d", flagged, anomaly(detection), p.epochs(), unlearning.size(), ctx.seed()));
            summary.put("unlearningImages", unlearning.size());
            summary.put("epochs", p.epochs());
            summary.put("finalTrainLoss", report.last().loss());
        }
        summary.put("defenseDataAccuracyBefore", Evaluator.accuracy(model, data));
        summary.put("defenseDataAccuracyAfter", Evaluator.accuracy(out, data));
        ctx.progress(1.0, "nc: done");
        summary.put("seconds", Math.round((System.nanoTime() - started) / 1e8) / 10.0);
        return new DefenseResult(out, summary);
    }

    private static String anomaly(OutlierDetection d) {
        return Double.isFinite(d.anomalyIndex()) ? String.format(Locale.ROOT, "%.3f", d.anomalyIndex()) : "infinite (MAD 0)";
    }

    private static String describe(Set<Integer> flagged, List<String> names) {
        if (flagged.isEmpty()) {
            return "none";
        }
        List<String> out = new ArrayList<>();
        for (int k : flagged) {
            out.add(k + " (" + names.get(k) + ")");
        }
        return String.join(", ", out);
    }

    private static void checkData(EngineModel model, ImageSet data) {
        if (data.size() == 0) {
            throw new InvalidInputException("nc needs labeled clean images, but the defense data is empty");
        }
        try {
            model.checkImages(data.images());
        } catch (InvalidInputException e) {
            throw new InvalidInputException("nc: the clean images do not fit the model: " + e.getMessage(), e);
        }
        if (data.numClasses() != model.numClasses()) {
            throw new InvalidInputException("nc: the defense data has " + data.numClasses() + " classes but the model has "
                    + model.numClasses());
        }
    }
}
