package io.purifier.engine.train;

/**
 * One epoch of training.
 *
 * @param epoch        1-based epoch
 * @param loss         mean cross-entropy over the epoch's images (training mode, as trained)
 * @param accuracy     fraction of the epoch's images classified correctly during training
 * @param learningRate the learning rate used
 * @param images       images trained on (after the training hook)
 * @param seconds      wall-clock time of the epoch
 */
public record EpochStats(int epoch, double loss, double accuracy, double learningRate, long images, double seconds) {

    /** Training throughput. */
    public double imagesPerSecond() {
        return seconds > 0 ? images / seconds : 0;
    }
}
