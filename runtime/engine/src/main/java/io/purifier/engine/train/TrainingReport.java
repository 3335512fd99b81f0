package io.purifier.engine.train;

import java.util.List;

/**
 * What a training run did, epoch by epoch.
 *
 * @param epochs per-epoch statistics
 */
public record TrainingReport(List<EpochStats> epochs) {

    /** Copies the list. */
    public TrainingReport {
        epochs = List.copyOf(epochs);
    }

    /** The last epoch's statistics. */
    public EpochStats last() {
        return epochs.get(epochs.size() - 1);
    }

    /** Mean throughput over all epochs. */
    public double imagesPerSecond() {
        long images = 0;
        double seconds = 0;
        for (EpochStats e : epochs) {
            images += e.images();
            seconds += e.seconds();
        }
        return seconds > 0 ? images / seconds : 0;
    }
}
