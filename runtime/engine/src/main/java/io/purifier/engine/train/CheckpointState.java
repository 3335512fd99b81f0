package io.purifier.engine.train;

import java.util.List;
import java.util.Map;

/**
 * What a training has done after {@code epochsDone} epochs, besides the model's arrays and the optimizer's state: the
 * random generator (shuffling, augmentation, the attack's hook draw from it), the current order of the training
 * images (each epoch shuffles the previous epoch's order), and the statistics and probe values of the epochs done.
 *
 * @param fingerprint what the training is (the caller's key: recipe, data, attack, seed, trainer version)
 * @param origin      who saved it (e.g. {@code run 17}), for messages
 * @param config      the training configuration's {@code toString()}, checked on resume
 * @param trainSize   the number of training images, checked on resume
 * @param epochsDone  epochs completed
 * @param totalEpochs epochs of the whole training
 * @param random      the serialised {@link java.util.Random} after the last completed epoch
 * @param order       the image order after the last completed epoch's shuffle
 * @param epochs      the completed epochs' statistics
 * @param probes      per completed epoch, the reporting probe's values (empty maps without a probe)
 * @param savedAt     when it was written (ISO-8601 instant)
 */
record CheckpointState(String fingerprint, String origin, String config, int trainSize, int epochsDone, int totalEpochs,
                       byte[] random,
                       int[] order, List<EpochStats> epochs, List<Map<String, Double>> probes, String savedAt) {
}
