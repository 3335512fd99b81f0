package io.purifier.server.run;

import io.purifier.api.InvalidInputException;
import io.purifier.api.PluginKind;
import io.purifier.api.data.DatasetProvider;
import io.purifier.api.data.DatasetSplits;
import io.purifier.api.data.ImageSet;
import io.purifier.api.defense.DefenseData;
import io.purifier.api.model.ModelInfo;
import io.purifier.data.ImageResize;
import io.purifier.data.Subsets;
import io.purifier.server.osgi.PluginLookup;
import io.purifier.server.pipeline.ValidatedPipeline.DefensePlan;
import io.purifier.server.pipeline.ValidatedPipeline.Resolved;

import java.util.Arrays;

/**
 * The data a defense gets, exactly as its contract declares: a class-balanced fraction of the clean training set
 * (labeled), the held-out training images (unlabeled, in distribution), or images of another dataset resized and
 * channel-converted to the model's input (unlabeled, out of distribution). Never the poisoned test set.
 */
final class DefenseDataAssembler {

    private final PluginLookup plugins;

    DefenseDataAssembler(PluginLookup plugins) {
        this.plugins = plugins;
    }

    DefenseData assemble(RunState s, DefensePlan plan, StepContext ctx) throws Exception {
        double f = plan.fraction();
        switch (plan.contract().kind()) {
            case NONE:
                return new DefenseData(null, null, "none");
            case LABELED_CLEAN: {
                ImageSet subset = Subsets.balancedByFraction(s.cleanTrain, f, ctx.seed());
                return new DefenseData(subset, null, subset.size() + " clean labeled training images (" + Shapes.percent(f)
                        + ", class-balanced, seed " + ctx.seed() + ")");
            }
            case UNLABELED:
                return plan.oodDataset() == null ? heldOut(s, f) : outOfDistribution(s, plan.oodDataset(), f, ctx);
            default:
                throw new IllegalStateException("unknown data contract " + plan.contract().kind());
        }
    }

    private static DefenseData heldOut(RunState s, double f) {
        return new DefenseData(null, s.heldOut.withoutLabels(), s.heldOut.size()
                + " unlabeled held-out training images (" + Shapes.percent(f) + ", never used for training)");
    }

    private DefenseData outOfDistribution(RunState s, Resolved ood, double f, StepContext ctx) throws Exception {
        DatasetProvider provider = plugins.find(PluginKind.DATASET, ood.id(), DatasetProvider.class)
                .orElseThrow(() -> new InvalidInputException("dataset '" + ood.id() + "' for unlabeled data is no longer installed"))
                .plugin();
        DatasetSplits other = provider.load(ood.params(), ctx);
        int count = Math.max(1, Math.min(balancedCapacity(other.train()), (int) Math.round(f * s.data.train().size())));
        ImageSet picked = Subsets.balancedByCount(other.train(), count, ctx.seed());
        ModelInfo info = s.model.info();
        ImageSet fitted = ImageResize.fit(picked, info.channels(), info.height(), info.width());
        return new DefenseData(null, fitted.withoutLabels(), fitted.size() + " unlabeled images from "
                + other.datasetId() + " (out of distribution), resized to " + info.inputShape());
    }

    /** The largest class-balanced subset of {@code set}: the number of classes times its smallest class. */
    static int balancedCapacity(ImageSet set) {
        int[] counts = new int[set.numClasses()];
        for (int label : set.labels()) {
            counts[label]++;
        }
        return Arrays.stream(counts).min().orElse(0) * counts.length;
    }
}
