package io.purifier.api.data;

/**
 * Train-time augmentation suited to a dataset: random crop after zero padding, and optional horizontal flip.
 *
 * @param cropPadding     pixels of zero padding before a random crop back to the original size; 0 disables it
 * @param horizontalFlip  whether random horizontal flips keep the label's meaning (true for CIFAR-10, false for
 *                        digits)
 */
public record Augmentation(int cropPadding, boolean horizontalFlip) {

    /** Checks the padding. */
    public Augmentation {
        if (cropPadding < 0) {
            throw new IllegalArgumentException("cropPadding must be >= 0, got " + cropPadding);
        }
    }

    /** No augmentation. */
    public static Augmentation none() {
        return new Augmentation(0, false);
    }
}
