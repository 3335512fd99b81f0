package io.purifier.defense.npd;

import io.purifier.api.run.RunContext;

import java.util.Locale;

/**
 * Sample-weighted averages of one main NPD epoch (as BackdoorBench's {@code AverageMeter}): the four loss terms
 * and the weighted total, accuracy on the clean and on the perturbed defense images, and the attack's mean
 * steps and target hit rate per batch.
 */
final class EpochStats {

    private long samples;
    private int batches;
    private double l1;
    private double l2;
    private double l3;
    private double l4;
    private double total;
    private long cleanHits;
    private long adversarialHits;
    private double steps;
    private double hitRate;

    /** Adds one batch of {@code size} samples. */
    void add(int size, double l1, double l2, double l3, double l4, double total, long cleanHits, long adversarialHits,
             int steps, double hitRate) {
        samples += size;
        batches++;
        this.l1 += l1 * size;
        this.l2 += l2 * size;
        this.l3 += l3 * size;
        this.l4 += l4 * size;
        this.total += total * size;
        this.cleanHits += cleanHits;
        this.adversarialHits += adversarialHits;
        this.steps += steps;
        this.hitRate += hitRate;
    }

    double l1() {
        return l1 / samples;
    }

    double l2() {
        return l2 / samples;
    }

    double l3() {
        return l3 / samples;
    }

    double l4() {
        return l4 / samples;
    }

    double total() {
        return total / samples;
    }

    /** Accuracy of the polarized model on the clean defense images, before each batch's update. */
    double cleanAccuracy() {
        return cleanHits / (double) samples;
    }

    /** Accuracy (true label) on the perturbed defense images. */
    double adversarialAccuracy() {
        return adversarialHits / (double) samples;
    }

    /** Mean attack steps per batch. */
    double meanSteps() {
        return steps / batches;
    }

    /** Mean fraction of a batch that the attack drove to its target. */
    double meanHitRate() {
        return hitRate / batches;
    }

    /** Records the epoch's curves at x = {@code epoch}. */
    void record(RunContext ctx, int epoch) {
        ctx.curve("loss/L1 clean CE", epoch, l1());
        ctx.curve("loss/L2 adversarial CE", epoch, l2());
        ctx.curve("loss/L3 wrong-class", epoch, l3());
        ctx.curve("loss/L4 target", epoch, l4());
        ctx.curve("loss/total", epoch, total());
        ctx.curve("defense data/clean accuracy", epoch, cleanAccuracy());
        ctx.curve("defense data/adversarial accuracy", epoch, adversarialAccuracy());
        ctx.curve("attack/mean steps", epoch, meanSteps());
        ctx.curve("attack/target hit rate", epoch, meanHitRate());
    }

    /** One log line. */
    String describe(int epoch, int epochs) {
        return String.format(Locale.ROOT, "npd: epoch %d/%d: L1 %.4f L2 %.4f L3 %.4f L4 %.4f total %.4f; clean acc %.4f, "
                        + "adversarial acc %.4f; attack %.2f steps, hit rate %.3f", epoch, epochs, l1(), l2(), l3(), l4(),
                total(), cleanAccuracy(), adversarialAccuracy(), meanSteps(), meanHitRate());
    }
}
