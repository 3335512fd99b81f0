package io.purifier.api.attack;

import java.util.Random;

/**
 * Lets a training-controlled attack (for example WaNet) rewrite each training mini-batch before the trainer
 * uses it. Called on the trainer's thread, after augmentation and before normalization.
 */
@FunctionalInterface
@org.osgi.annotation.versioning.ConsumerType
public interface TrainingHook {

    /**
     * @param batch the batch as drawn (never modify its arrays in place)
     * @param rng   the trainer's seeded random source, for deterministic poisoning
     * @return the batch to train on (may be larger or smaller than the input)
     */
    TrainingBatch apply(TrainingBatch batch, Random rng);
}
