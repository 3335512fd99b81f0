package io.purifier.dataset.imagefolder;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.ImageSet;

import java.nio.file.Path;

/** Checks across the two splits of an image-folder dataset. */
final class ImageFolderChecks {

    private ImageFolderChecks() {
    }

    /** Fails unless both splits have images of the same size and channel count. */
    static void sameImageShape(ImageSet train, Path trainDir, ImageSet test, Path testDir) {
        if (train.channels() != test.channels() || train.height() != test.height() || train.width() != test.width()) {
            throw new InvalidInputException("images in " + trainDir + " are " + describe(train) + " but images in "
                    + testDir + " are " + describe(test));
        }
    }

    private static String describe(ImageSet set) {
        return set.width() + "x" + set.height() + " pixels with " + set.channels() + (set.channels() == 1 ? " channel" : " channels");
    }
}
