package io.purifier.attack.badnets;

import io.purifier.api.InvalidInputException;
import io.purifier.api.attack.Attack;
import io.purifier.api.attack.PoisonedData;
import io.purifier.api.attack.PreviewImage;
import io.purifier.api.data.DatasetSplits;
import io.purifier.api.data.ImageSet;
import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ResolvedParams;
import io.purifier.api.run.RunContext;
import org.osgi.service.component.annotations.Component;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * BadNets (Gu, Dolan-Gavitt and Garg, 2017): a small patch is stamped on a random share of the training images,
 * which are relabelled to the target class (dirty-label). Configured as in BackdoorBench: a 3x3 white square in
 * the bottom-right corner, 10% of the whole training set, target class 0.
 */
@Component(service = Attack.class, property = {"purifier.id=badnets", "purifier.kind=attack"})
public final class BadNetsAttack implements Attack {

    /** The stable id. */
    public static final String ID = "badnets";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String name() {
        return "BadNets";
    }

    @Override
    public String description() {
        return "Stamps a small patch (default: 3x3 white square, bottom-right corner) on a random 10% of the "
                + "training images and relabels them to the target class. Gu et al., 2017.";
    }

    @Override
    public ParamDescriptor parameters() {
        return BadNetsParams.DESCRIPTOR;
    }

    /**
     * Poisons {@code data}: picks {@code round(poisonRatio * N)} training samples uniformly at random with
     * {@code ctx.newRandom()}, stamps the patch and relabels them; triggers every test image outside the target
     * class (all-to-one) or every test image (all-to-all).
     */
    @Override
    public PoisonedData poison(DatasetSplits data, ResolvedParams params, RunContext ctx) {
        BadNetsParams p = BadNetsParams.from(params);
        ImageSet train = data.train();
        int classes = train.numClasses();
        AttackChecks.checkTargetLabel(p.targetLabel(), classes);
        int count = AttackChecks.poisonCount(p.poisonRatio(), train.size());
        PatchTrigger trigger = trigger(p, train.channels(), train.height(), train.width(), ctx);

        int[] indices = PoisonIndexSampler.pick(PoisonIndexSampler.all(train.size()), count, ctx.newRandom());
        ctx.progress(0.05, "stamping the patch on " + count + " training images");
        ImageSet poisonedTrain = DataPoisoner.poisonTraining(train, indices, trigger,
                label -> p.mode().backdoorLabel(label, p.targetLabel(), classes), ctx);
        ctx.progress(0.6, "stamping the patch on the test images");
        DataPoisoner.TriggeredTest test = DataPoisoner.triggerTestSet(data.test(), p.mode(), p.targetLabel(),
                trigger, ctx);
        if (test.targets().length == 0) {
            ctx.warn("badnets: the test set has no image outside the target class, so ASR cannot be measured");
        }

        ctx.log(String.format(Locale.ROOT,
                "badnets: %s, target %d; poisoned %d of %d training images (ratio %.4f); %dx%d patch at rows %d-%d, "
                        + "columns %d-%d (%d pixels replaced); %d triggered test images",
                p.mode().id(), p.targetLabel(), count, train.size(), count / (double) train.size(), trigger.size(),
                trigger.size(), trigger.top(), trigger.top() + trigger.size() - 1, trigger.left(),
                trigger.left() + trigger.size() - 1, trigger.maskedPixels(), test.targets().length));
        ctx.progress(1.0, "poisoned");
        return new PoisonedData(poisonedTrain, indices, test.images(), test.targets(), null,
                previews(train, indices[0], trigger));
    }

    private static PatchTrigger trigger(BadNetsParams p, int channels, int height, int width, RunContext ctx) {
        int top = p.top(height, width);
        int left = p.left(height, width);
        if (p.triggerImage().isEmpty()) {
            return PatchTrigger.ofPattern(p.pattern(), channels, height, width, top, left, p.patchSize());
        }
        Path file;
        try {
            file = ctx.dataRoots().resolve(p.triggerImage());
        } catch (InvalidInputException e) {
            throw new InvalidInputException("triggerImage: " + e.getMessage(), e);
        }
        TriggerPicture picture = TriggerPicture.read(file, "triggerImage").resizeNearest(p.patchSize(), p.patchSize());
        boolean[] mask = picture.nonZeroMask();
        boolean any = false;
        for (boolean m : mask) {
            any |= m;
        }
        if (!any) {
            throw AttackChecks.problem("triggerImage", p.triggerImage(), "the picture is black after resizing to "
                    + p.patchSize() + "x" + p.patchSize() + " px, so it would change no pixel");
        }
        ctx.log("badnets: patch from " + file + " (" + picture.bands() + " band(s)), pattern parameter ignored");
        return new PatchTrigger(channels, height, width, top, left, p.patchSize(), picture.toChannels(channels), mask);
    }

    private static List<PreviewImage> previews(ImageSet train, int sample, PatchTrigger trigger) {
        int c = train.channels();
        int h = train.height();
        int w = train.width();
        float[] clean = ImagePixels.read(train.images(), sample);
        return List.of(
                Previews.of("clean training sample #" + sample, clean, c, h, w),
                Previews.of("poisoned sample", trigger.apply(clean), c, h, w),
                Previews.of("trigger (on black)", trigger.onBlack(), c, h, w));
    }
}
