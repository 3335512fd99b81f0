package io.purifier.api.data;

import java.util.Objects;

/**
 * What a dataset provider returns: train and test splits plus identity and normalization metadata.
 *
 * @param datasetId     the provider's id plus a short description of the source (for example
 *                      {@code fashion-mnist}); shown in the UI
 * @param contentHash   SHA-256 (hex) over the pixels and labels of both splits: the dataset's identity in
 *                      provenance and cache keys
 * @param train         the training split
 * @param test          the test split
 * @param normalization the per-channel normalization models trained on this data should apply
 * @param augmentation  the train-time augmentation suited to this data (flip only where it makes sense)
 */
public record DatasetSplits(String datasetId, String contentHash, ImageSet train, ImageSet test,
                            Normalization normalization, Augmentation augmentation) {

    /** Checks that both splits agree on image shape and classes. */
    public DatasetSplits {
        Objects.requireNonNull(datasetId, "datasetId");
        Objects.requireNonNull(contentHash, "contentHash");
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(normalization, "normalization");
        Objects.requireNonNull(augmentation, "augmentation");
        if (train.channels() != test.channels() || train.height() != test.height() || train.width() != test.width()) {
            throw new IllegalArgumentException("train images are " + shape(train) + " but test images are " + shape(test));
        }
        if (!train.classNames().equals(test.classNames())) {
            throw new IllegalArgumentException("train and test splits name different classes");
        }
        if (normalization.channels() != train.channels()) {
            throw new IllegalArgumentException("normalization has " + normalization.channels()
                    + " channels but images have " + train.channels());
        }
    }

    private static String shape(ImageSet set) {
        return set.channels() + "x" + set.height() + "x" + set.width();
    }
}
