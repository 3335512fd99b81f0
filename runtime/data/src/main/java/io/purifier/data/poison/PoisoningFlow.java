package io.purifier.data.poison;

import io.purifier.api.attack.PoisonedData;
import io.purifier.api.attack.PreviewImage;
import io.purifier.api.data.DatasetSplits;
import io.purifier.api.data.ImageSet;
import io.purifier.api.run.RunContext;

import java.util.List;

/**
 * The common flow of attacks that poison a fixed sample of the training set once, before training (BadNets,
 * Blended, SIG): pick the samples with {@code ctx.newRandom()}, apply the trigger and relabel them, build the
 * triggered test set, warn when it is empty. Each attack checks its parameters, builds its trigger and logs its
 * own summary around it.
 */
public final class PoisoningFlow {

    private PoisoningFlow() {
    }

    /**
     * The poisoned training set and triggered test set.
     *
     * @param train   the training set with the poisoned samples in place
     * @param indices the poisoned samples' indices, ascending
     * @param test    the triggered test set
     */
    public record PoisonedSplits(ImageSet train, int[] indices, TriggeredTestSet test) {

        /** The poisoned samples' indices, ascending (a copy). */
        @Override
        public int[] indices() {
            return indices.clone();
        }

        /** The attack's result with no training hook. */
        public PoisonedData toPoisonedData(List<PreviewImage> previews) {
            return new PoisonedData(train, indices, test.images(), test.targets(), null, previews);
        }
    }

    /**
     * Poisons {@code count} of the {@code candidates} training samples, drawn uniformly with {@code ctx.newRandom()}
     * (see {@link PoisonIndices#pick}), and triggers the test images {@code recipe.mode()} selects. Reports progress
     * 0.05 and 0.6 with the recipe's action.
     *
     * @param candidates the training indices that may be poisoned (all of them, or the target class for
     *                   clean-label attacks)
     * @param count      how many to poison, at most {@code candidates.length}
     */
    public static PoisonedSplits poison(DatasetSplits data, PoisonRecipe recipe, int[] candidates, int count,
                                        RunContext ctx) {
        ImageSet train = data.train();
        int[] indices = PoisonIndices.pick(candidates, count, ctx.newRandom());
        ctx.progress(0.05, recipe.trainingStep(count));
        ImageSet poisonedTrain = PoisonedTrainingSet.of(train, indices, recipe.trigger(),
                recipe.trainingRelabel(train.numClasses()), ctx);
        ctx.progress(0.6, recipe.testStep());
        TriggeredTestSet test = TriggeredTestSet.of(data.test(), recipe.mode(), recipe.targetLabel(), recipe.trigger(),
                ctx);
        test.warnWhenEmpty(recipe.attackId(), ctx);
        return new PoisonedSplits(poisonedTrain, indices, test);
    }
}
