package io.purifier.attack.wanet;

import io.purifier.api.data.ImageSet;
import io.purifier.api.run.RunContext;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

/**
 * Builds the triggered test set, producing a new set (the input is never written). A trigger maps one image's
 * {@code C*H*W} pixels to new pixels of the same size.
 */
final class DataPoisoner {

    private static final int CANCEL_CHECK_EVERY = 512;

    private DataPoisoner() {
    }

    /** The triggered test set and, per image, the label the backdoor should produce. */
    record TriggeredTest(ImageSet images, int[] targets) {
    }

    /**
     * The test images that {@code mode} triggers (all-to-one: every class but the target), each with the trigger,
     * keeping their original labels; the targets are the backdoor labels. (Copies image by image:
     * {@code ImageSet.subset} fails on 4-D tensors in ND4J 1.0.0-M2.1, whose {@code getRows} wants a matrix.)
     */
    static TriggeredTest triggerTestSet(ImageSet test, LabelMode mode, int targetLabel,
                                        UnaryOperator<float[]> trigger, RunContext ctx) {
        int[] chosen = IntStream.range(0, test.size())
                .filter(i -> mode.triggersTestImage(test.label(i), targetLabel))
                .toArray();
        INDArray images = Nd4j.create(DataType.FLOAT, chosen.length, test.channels(), test.height(), test.width());
        int[] labels = new int[chosen.length];
        int[] targets = new int[chosen.length];
        for (int n = 0; n < chosen.length; n++) {
            ImagePixels.write(images, n, trigger.apply(ImagePixels.read(test.images(), chosen[n])));
            labels[n] = test.label(chosen[n]);
            targets[n] = mode.backdoorLabel(labels[n], targetLabel, test.numClasses());
            if (n % CANCEL_CHECK_EVERY == 0) {
                ctx.checkCancelled();
            }
        }
        return new TriggeredTest(new ImageSet(images, labels, test.classNames()), targets);
    }
}
