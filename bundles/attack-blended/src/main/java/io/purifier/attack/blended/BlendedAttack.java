package io.purifier.attack.blended;

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
 * Blended (Chen, Liu, Li, Lu and Song, 2017): a full-image pattern is blended into a random share of the training
 * images, which are relabelled to the target class (dirty-label). BackdoorBench blends the Hello Kitty picture
 * with alpha 0.2 into 10% of the training set; here the default pattern is seeded uniform noise (no downloads),
 * and a picture can be given instead.
 */
@Component(service = Attack.class, property = {"purifier.id=blended", "purifier.kind=attack"})
public final class BlendedAttack implements Attack {

    /** The stable id. */
    public static final String ID = "blended";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String name() {
        return "Blended";
    }

    @Override
    public String description() {
        return "Blends a fixed pattern (seeded noise or a picture) into a random 10% of the training images with "
                + "weight 0.2 and relabels them to the target class. Chen et al., 2017.";
    }

    @Override
    public ParamDescriptor parameters() {
        return BlendedParams.DESCRIPTOR;
    }

    /**
     * Poisons {@code data}: picks {@code round(poisonRatio * N)} training samples uniformly at random with
     * {@code ctx.newRandom()}, blends the pattern in and relabels them; blends it into every test image outside
     * the target class (all-to-one) or every test image (all-to-all).
     */
    @Override
    public PoisonedData poison(DatasetSplits data, ResolvedParams params, RunContext ctx) {
        BlendedParams p = BlendedParams.from(params);
        ImageSet train = data.train();
        int classes = train.numClasses();
        AttackChecks.checkTargetLabel(p.targetLabel(), classes);
        int count = AttackChecks.poisonCount(p.poisonRatio(), train.size());
        if (!(p.alpha() > 0)) {
            throw AttackChecks.problem("alpha", p.alpha(), "must be greater than 0 (0 leaves the images unchanged)");
        }
        BlendTrigger trigger = new BlendTrigger(pattern(p, train, ctx), p.alpha());

        int[] indices = PoisonIndexSampler.pick(PoisonIndexSampler.all(train.size()), count, ctx.newRandom());
        ctx.progress(0.05, "blending the pattern into " + count + " training images");
        ImageSet poisonedTrain = DataPoisoner.poisonTraining(train, indices, trigger,
                label -> p.mode().backdoorLabel(label, p.targetLabel(), classes), ctx);
        ctx.progress(0.6, "blending the pattern into the test images");
        DataPoisoner.TriggeredTest test = DataPoisoner.triggerTestSet(data.test(), p.mode(), p.targetLabel(),
                trigger, ctx);
        if (test.targets().length == 0) {
            ctx.warn("blended: the test set has no image outside the target class, so ASR cannot be measured");
        }
        ctx.log(String.format(Locale.ROOT,
                "blended: %s, target %d; poisoned %d of %d training images (ratio %.4f); alpha %.3f; "
                        + "%d triggered test images",
                p.mode().id(), p.targetLabel(), count, train.size(), count / (double) train.size(), p.alpha(),
                test.targets().length));
        ctx.progress(1.0, "poisoned");
        return new PoisonedData(poisonedTrain, indices, test.images(), test.targets(), null,
                previews(train, indices[0], trigger));
    }

    private static float[] pattern(BlendedParams p, ImageSet train, RunContext ctx) {
        int c = train.channels();
        int h = train.height();
        int w = train.width();
        if (p.triggerImage().isEmpty()) {
            ctx.log("blended: pattern = uniform noise from patternSeed " + p.patternSeed());
            return BlendTrigger.uniformNoise(p.patternSeed(), c * h * w);
        }
        Path file;
        try {
            file = ctx.dataRoots().resolve(p.triggerImage());
        } catch (InvalidInputException e) {
            throw new InvalidInputException("triggerImage: " + e.getMessage(), e);
        }
        TriggerPicture picture = TriggerPicture.read(file, "triggerImage");
        ctx.log("blended: pattern = " + file + " (" + picture.width() + "x" + picture.height() + ", "
                + picture.bands() + " band(s)) resized to " + w + "x" + h + "; patternSeed ignored");
        return picture.resizeBilinear(h, w).toChannels(c);
    }

    private static List<PreviewImage> previews(ImageSet train, int sample, BlendTrigger trigger) {
        int c = train.channels();
        int h = train.height();
        int w = train.width();
        float[] clean = ImagePixels.read(train.images(), sample);
        return List.of(
                Previews.of("clean training sample #" + sample, clean, c, h, w),
                Previews.of("poisoned sample", trigger.apply(clean), c, h, w),
                Previews.of("blend pattern", trigger.pattern(), c, h, w));
    }
}
