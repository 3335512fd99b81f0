package io.purifier.server.run;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.DatasetSplits;
import io.purifier.api.data.ImageSet;
import io.purifier.api.model.Model;
import io.purifier.api.model.ModelInfo;

/** Image shapes as the run log and summaries write them, and the check that a model fits its dataset. */
final class Shapes {

    private Shapes() {
    }

    /** {@code CxHxW} of the images of {@code set}. */
    static String of(ImageSet set) {
        return set.channels() + "x" + set.height() + "x" + set.width();
    }

    /**
     * Checks that {@code model} takes the dataset's images and predicts its classes.
     *
     * @throws IllegalStateException when there is no model
     * @throws InvalidInputException naming both shapes or both class counts when they differ
     */
    static void check(Model model, DatasetSplits data) {
        if (model == null) {
            throw new IllegalStateException("no model was produced");
        }
        ModelInfo info = model.info();
        ImageSet test = data.test();
        if (info.channels() != test.channels() || info.height() != test.height() || info.width() != test.width()) {
            throw new InvalidInputException("the model expects " + info.inputShape() + " images but dataset "
                    + data.datasetId() + " has " + of(test));
        }
        if (info.numClasses() != test.numClasses()) {
            throw new InvalidInputException("the model has " + info.numClasses() + " classes but dataset "
                    + data.datasetId() + " has " + test.numClasses());
        }
    }

    /** A fraction as a percentage with three significant digits ("5.00%"). */
    static String percent(double fraction) {
        return String.format("%.3g%%", fraction * 100);
    }
}
