package io.purifier.api.defense;

import io.purifier.api.data.ImageSet;
import io.purifier.api.data.UnlabeledImages;

/**
 * The data handed to a defense, matching its {@link DataContract}: exactly one of {@code labeled} and
 * {@code unlabeled} is present for data-using defenses, both are null for {@link DataContract.Kind#NONE}.
 *
 * @param labeled     class-balanced clean labeled images, or null
 * @param unlabeled   images without labels, or null
 * @param description where the data came from (for logs and history), e.g. "5% of fashion-mnist train, seed 7"
 */
public record DefenseData(ImageSet labeled, UnlabeledImages unlabeled, String description) {

    /** Checks that at most one kind of data is present. */
    public DefenseData {
        if (labeled != null && unlabeled != null) {
            throw new IllegalArgumentException("a defense gets labeled or unlabeled data, not both");
        }
    }

    /** The labeled data; fails clearly when the contract did not ask for it. */
    public ImageSet requireLabeled() {
        if (labeled == null) {
            throw new IllegalStateException("this defense was given no labeled data: " + description);
        }
        return labeled;
    }

    /** The unlabeled data; fails clearly when the contract did not ask for it. */
    public UnlabeledImages requireUnlabeled() {
        if (unlabeled == null) {
            throw new IllegalStateException("this defense was given no unlabeled data: " + description);
        }
        return unlabeled;
    }
}
