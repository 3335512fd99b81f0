package io.purifier.defense.nad;

/**
 * The student's learning rate per epoch, NAD's step schedule as BackdoorBench's {@code adjust_learning_rate}
 * implements it: the configured rate for epochs 0 and 1, 0.01 for epochs 2 to 19, 0.0001 from epoch 20 on (the
 * constants are NAD's, written for a starting rate of 0.1; with BackdoorBench's 0.01 the rate is 0.01 for 20
 * epochs, then 0.0001).
 */
final class NadLearningRate {

    private NadLearningRate() {
    }

    /** The rate of 0-based {@code epoch} for the configured {@code learningRate}. */
    static double at(int epoch, double learningRate) {
        if (epoch < 2) {
            return learningRate;
        }
        return epoch < 20 ? 0.01 : 0.0001;
    }
}
