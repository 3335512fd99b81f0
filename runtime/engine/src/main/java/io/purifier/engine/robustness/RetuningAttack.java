package io.purifier.engine.robustness;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.Augmentation;
import io.purifier.api.data.ImageSet;
import io.purifier.api.run.RunContext;
import io.purifier.engine.eval.Batches;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.train.Trainer;
import io.purifier.engine.train.TrainingConfig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Post-purification robustness (Min et al., "Uncovering, Explaining, and Mitigating the Superficial Safety of
 * Backdoor Defense", NeurIPS 2024): the retuning attack fine-tunes a copy of a purified model for a few epochs on a
 * small set of the attacker's training data that contains a few poisoned samples, and measures how much of the
 * backdoor comes back. A defense that removed the backdoor stays low (as a clean model does); one that only hid it
 * returns to a high ASR within a few epochs.
 */
public final class RetuningAttack {

    private RetuningAttack() {
    }

    /**
     * The retuning set: {@code round(images * poisonRatio)} poisoned samples (from {@code poisonIndices}, with their
     * triggers and attack labels) and the rest clean samples of the same poisoned training set, drawn without
     * replacement with {@code rng}, in random order.
     *
     * @throws InvalidInputException when the attack poisoned fewer samples, or the set has fewer clean samples, than
     *                               the configuration asks for
     */
    public static ImageSet retuningSet(ImageSet poisonedTrain, int[] poisonIndices, RetuneConfig cfg, Random rng) {
        int poisoned = cfg.poisonedCount();
        int clean = cfg.images() - poisoned;
        if (poisonIndices.length < poisoned) {
            throw new InvalidInputException("the retuning attack needs " + poisoned + " poisoned training samples but the "
                    + "attack poisoned " + poisonIndices.length);
        }
        Set<Integer> poisonSet = new HashSet<>();
        for (int i : poisonIndices) {
            poisonSet.add(i);
        }
        List<Integer> cleanIndices = new ArrayList<>();
        for (int i = 0; i < poisonedTrain.size(); i++) {
            if (!poisonSet.contains(i)) {
                cleanIndices.add(i);
            }
        }
        if (cleanIndices.size() < clean) {
            throw new InvalidInputException("the retuning attack needs " + clean + " clean training samples but only "
                    + cleanIndices.size() + " are left");
        }
        int[] chosenPoison = sample(poisonIndices, poisoned, rng);
        int[] chosenClean = sample(cleanIndices.stream().mapToInt(Integer::intValue).toArray(), clean, rng);
        int[] all = new int[poisoned + clean];
        System.arraycopy(chosenPoison, 0, all, 0, poisoned);
        System.arraycopy(chosenClean, 0, all, poisoned, clean);
        shuffle(all, rng);
        int[] labels = new int[all.length];
        for (int i = 0; i < all.length; i++) {
            labels[i] = poisonedTrain.label(all[i]);
        }
        return new ImageSet(Batches.gather(poisonedTrain.images(), all), labels, poisonedTrain.classNames());
    }

    /**
     * Fine-tunes a copy of {@code model} on {@code set} (every parameter, batch norm in training mode, no
     * augmentation); the model itself is not changed.
     */
    public static EngineModel retune(EngineModel model, ImageSet set, RetuneConfig cfg, RunContext ctx) {
        EngineModel copy = model.copy();
        copy.unfreeze(copy.parameterNames());
        TrainingConfig training = new TrainingConfig("sgd", cfg.learningRate(), cfg.momentum(), 0.0, "constant",
                cfg.epochs(), Math.min(cfg.batchSize(), Math.max(2, set.size())));
        Trainer.train(copy, set, Augmentation.none(), null, training, ctx);
        return copy;
    }

    private static int[] sample(int[] from, int count, Random rng) {
        int[] a = Arrays.copyOf(from, from.length);
        for (int i = 0; i < count; i++) {
            int j = i + rng.nextInt(a.length - i);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return Arrays.copyOf(a, count);
    }

    private static void shuffle(int[] a, Random rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
