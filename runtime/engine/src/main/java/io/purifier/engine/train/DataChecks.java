package io.purifier.engine.train;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.ImageSet;
import io.purifier.engine.model.EngineModel;

/** Checks that data handed to a defense fits the model, with errors that name the defense and the mismatch. */
public final class DataChecks {

    private DataChecks() {
    }

    /**
     * Checks labeled images: at least {@code minimum} of them, the model's input shape and class count.
     *
     * @param who     the defense id, for the message
     * @param minimum the smallest usable number of images
     * @throws InvalidInputException naming the mismatch
     */
    public static void labeled(EngineModel model, ImageSet data, String who, int minimum) {
        if (data == null) {
            throw new InvalidInputException(who + " needs labeled clean images and was given none");
        }
        if (data.size() < minimum) {
            throw new InvalidInputException(who + " needs at least " + minimum + " labeled images, got " + data.size());
        }
        var info = model.info();
        if (data.channels() != info.channels() || data.height() != info.height() || data.width() != info.width()) {
            throw new InvalidInputException(who + ": the labeled images are " + data.channels() + "x" + data.height()
                    + "x" + data.width() + " but the model expects " + info.inputShape());
        }
        if (data.numClasses() != info.numClasses()) {
            throw new InvalidInputException(who + ": the labeled data has " + data.numClasses()
                    + " classes but the model has " + info.numClasses());
        }
    }
}
