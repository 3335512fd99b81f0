package io.purifier.defense.anp;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.ImageSet;
import io.purifier.api.defense.DefenseResult;
import io.purifier.api.run.RunContext;
import io.purifier.engine.blocks.NeuronScaling;
import io.purifier.engine.eval.Evaluator;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.run.StageContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One ANP run: {@link MaskOptimization} on a working copy (nine tenths of the progress), then the
 * {@link PruningSweep} on copies of the input model, which is not modified. The learnt masks are written as an
 * artifact ({@code anp-mask-values.tsv}: layer, channel, mask, as BackdoorBench's {@code mask_values.txt}).
 */
final class AdversarialNeuronPruning {

    /** Share of the step's progress given to the mask optimisation. */
    static final double MASK_SHARE = 0.9;
    /** The artifact with the learnt masks. */
    static final String MASK_FILE = "anp-mask-values.tsv";

    private AdversarialNeuronPruning() {
    }

    /**
     * Purifies a copy of {@code model}.
     *
     * @throws InvalidInputException when the data is empty or does not fit the model, or the model has no neurons of
     *                               the chosen kind
     */
    static DefenseResult purify(EngineModel model, ImageSet data, AnpParams p, RunContext ctx) {
        long started = System.nanoTime();
        checkData(model, data);
        EngineModel work = model.copy();
        List<NeuronScaling.Target> targets = p.neurons().targets(work);
        NeuronScaling scaling = NeuronScaling.of(work, targets);
        String kind = targets.get(0).kind() == NeuronScaling.Kind.BATCH_NORM ? "batch-norm" : "convolution";
        ctx.log(String.format(Locale.ROOT, "anp: %d %s neurons in %d layers; %d iterations of %d images, eps %.3g in %d "
                        + "step(s), alpha %.2f, mask lr %.3g", scaling.neurons(), kind, targets.size(), p.iterations(),
                p.batchSize(), p.epsilon(), p.steps(), p.alpha(), p.maskLearningRate()));

        double[][] mask = MaskOptimization.run(work, scaling, data, p, StageContext.of(ctx, 0, MASK_SHARE, "", ""));
        writeMasks(targets, mask, ctx);
        PruningSweep.Result sweep = PruningSweep.run(model, targets, mask, data, p,
                StageContext.of(ctx, MASK_SHARE, 1, "", ""));
        int count = sweep.prunedNeurons();
        if (sweep.kept() == null) {
            ctx.warn(String.format(Locale.ROOT, "anp: every sweep point changes the clean accuracy by %.0f%% or more; "
                    + "nothing is pruned", 100 * p.accRatio()));
        }
        EngineModel purified = PruningSweep.pruned(model, targets, sweep.order(), count);
        String at = sweep.kept() == null ? "none" : (p.pruningBy() == AnpParams.PruningBy.NUMBER
                ? String.valueOf(Math.round(sweep.kept().x())) : String.format(Locale.ROOT, "%.4f", sweep.kept().x()));
        ctx.log(String.format(Locale.ROOT, "anp: pruned %d of %d neurons (%s %s); clean accuracy %.4f -> %.4f", count,
                scaling.neurons(), p.pruningBy().id(), at, sweep.unprunedAccuracy(),
                sweep.kept() == null ? sweep.unprunedAccuracy() : sweep.kept().accuracy()));
        purified.setProperty("defense.anp", String.format(Locale.ROOT, "%d of %d %s neurons pruned (%s %s), masks from "
                + "%d iterations on %d clean images, seed %d", count, scaling.neurons(), kind, p.pruningBy().id(), at,
                p.iterations(), data.size(), ctx.seed()));
        ctx.progress(1.0, "anp: done");

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("neuronKind", kind);
        summary.put("layers", targets.size());
        summary.put("neurons", scaling.neurons());
        summary.put("prunedNeurons", count);
        summary.put("pruningBy", p.pruningBy().id());
        summary.put("selected", at);
        summary.put("cleanImages", data.size());
        summary.put("meanMask", mean(mask));
        summary.put("masksAtZero", (int) sweep.order().stream().filter(n -> n.mask() == 0.0).count());
        summary.put("defenseDataAccuracyBefore", sweep.unprunedAccuracy());
        summary.put("defenseDataAccuracyAfter", Evaluator.accuracy(purified, data));
        summary.put("seconds", Math.round((System.nanoTime() - started) / 1e8) / 10.0);
        return new DefenseResult(purified, summary);
    }

    private static double mean(double[][] mask) {
        double sum = 0;
        int n = 0;
        for (double[] layer : mask) {
            for (double m : layer) {
                sum += m;
                n++;
            }
        }
        return sum / n;
    }

    private static void writeMasks(List<NeuronScaling.Target> targets, double[][] mask, RunContext ctx) {
        StringBuilder out = new StringBuilder("layer\tchannel\tmask\n");
        for (int i = 0; i < targets.size(); i++) {
            for (int k = 0; k < mask[i].length; k++) {
                out.append(targets.get(i).layer()).append('\t').append(k).append('\t')
                        .append(String.format(Locale.ROOT, "%.6f", mask[i][k])).append('\n');
            }
        }
        try {
            Files.createDirectories(ctx.artifactDir());
            Files.writeString(ctx.artifactDir().resolve(MASK_FILE), out);
        } catch (IOException e) {
            throw new UncheckedIOException("anp could not write " + MASK_FILE + " into " + ctx.artifactDir(), e);
        }
    }

    private static void checkData(EngineModel model, ImageSet data) {
        if (data.size() == 0) {
            throw new InvalidInputException("anp needs labeled clean images, but the defense data is empty");
        }
        try {
            model.checkImages(data.images());
        } catch (InvalidInputException e) {
            throw new InvalidInputException("anp: the clean images do not fit the model: " + e.getMessage(), e);
        }
        if (data.numClasses() != model.numClasses()) {
            throw new InvalidInputException("anp: the defense data has " + data.numClasses() + " classes but the model has "
                    + model.numClasses());
        }
    }
}
