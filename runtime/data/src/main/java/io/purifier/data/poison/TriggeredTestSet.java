package io.purifier.data.poison;

import io.purifier.api.data.ImageSet;
import io.purifier.api.run.RunContext;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

/**
 * The triggered test set of an attack: the test images the label mode triggers, each carrying the trigger, with
 * their <b>original</b> labels (for robust accuracy), and per image the label the backdoor should produce (for
 * the attack success rate).
 *
 * @param images  the triggered images with their original labels
 * @param targets per image, the backdoor label
 */
public record TriggeredTestSet(ImageSet images, int[] targets) {

    /**
     * The test images that {@code mode} triggers (all-to-one: every class but the target; all-to-all: all), in
     * their original order, each with the trigger, keeping their original labels; the targets are the backdoor
     * labels. The input set is never written. (Copies image by image: {@code ImageSet.subset} fails on 4-D
     * tensors in ND4J 1.0.0-M2.1, whose {@code getRows} wants a matrix.)
     *
     * @param trigger maps one image's {@code C*H*W} pixels to new pixels of the same size
     * @param ctx     checked for cancellation every {@value PoisonedTrainingSet#CANCEL_CHECK_EVERY} images
     */
    public static TriggeredTestSet of(ImageSet test, LabelMode mode, int targetLabel, UnaryOperator<float[]> trigger,
                                      RunContext ctx) {
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
            if (n % PoisonedTrainingSet.CANCEL_CHECK_EVERY == 0) {
                ctx.checkCancelled();
            }
        }
        return new TriggeredTestSet(new ImageSet(images, labels, test.classNames()), targets);
    }

    /** Per triggered image, the backdoor label (a copy). */
    @Override
    public int[] targets() {
        return targets.clone();
    }

    /** Number of triggered test images. */
    public int size() {
        return targets.length;
    }

    /**
     * Warns through {@code ctx} when the set is empty ("{@code attackId}: the test set has no image outside the
     * target class, so ASR cannot be measured").
     */
    public void warnWhenEmpty(String attackId, RunContext ctx) {
        if (targets.length == 0) {
            ctx.warn(attackId + ": the test set has no image outside the target class, so ASR cannot be measured");
        }
    }
}
