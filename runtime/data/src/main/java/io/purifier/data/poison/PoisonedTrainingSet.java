package io.purifier.data.poison;

import io.purifier.api.data.ImageSet;
import io.purifier.api.run.RunContext;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.function.IntUnaryOperator;
import java.util.function.UnaryOperator;

/** A training set in which chosen images carry a trigger and new labels (the input set is never written). */
public final class PoisonedTrainingSet {

    /** How many images are poisoned between two cancellation checks. */
    static final int CANCEL_CHECK_EVERY = 512;

    private PoisonedTrainingSet() {
    }

    /**
     * A copy of {@code train} in which the images at {@code indices} carry the trigger and get the label
     * {@code relabel(originalLabel)}; all other images and labels are unchanged.
     *
     * @param trigger maps one image's {@code C*H*W} pixels to new pixels of the same size
     * @param relabel maps an original label to the poisoned sample's label ({@code label -> label} for
     *                clean-label attacks)
     * @param ctx     checked for cancellation every {@value #CANCEL_CHECK_EVERY} images
     */
    public static ImageSet of(ImageSet train, int[] indices, UnaryOperator<float[]> trigger, IntUnaryOperator relabel,
                              RunContext ctx) {
        INDArray images = train.images().dup('c');
        int[] labels = train.labels();
        for (int n = 0; n < indices.length; n++) {
            int i = indices[n];
            ImagePixels.write(images, i, trigger.apply(ImagePixels.read(images, i)));
            labels[i] = relabel.applyAsInt(labels[i]);
            if (n % CANCEL_CHECK_EVERY == 0) {
                ctx.checkCancelled();
            }
        }
        return new ImageSet(images, labels, train.classNames());
    }
}
