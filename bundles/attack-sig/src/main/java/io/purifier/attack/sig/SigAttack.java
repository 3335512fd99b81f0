package io.purifier.attack.sig;

import io.purifier.api.attack.Attack;
import io.purifier.api.attack.PoisonedData;
import io.purifier.api.attack.PreviewImage;
import io.purifier.api.data.DatasetSplits;
import io.purifier.api.data.ImageSet;
import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ResolvedParams;
import io.purifier.api.run.RunContext;
import org.osgi.service.component.annotations.Component;

import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * SIG (Barni, Kallas and Tondi, 2019): a clean-label attack. A horizontal sinusoid is added to training images of
 * the target class only, whose labels stay correct; at test time the same signal on an image of another class
 * pulls it to the target. Configured as in BackdoorBench: delta 40 (of 255), f 6, 10% of the training set.
 */
@Component(service = Attack.class, property = {"purifier.id=sig", "purifier.kind=attack"})
public final class SigAttack implements Attack {

    /** The stable id. */
    public static final String ID = "sig";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String name() {
        return "SIG (sinusoidal signal)";
    }

    @Override
    public String description() {
        return "Clean-label: adds a horizontal sinusoid (delta 40/255, 6 periods) to target-class training images "
                + "without changing any label. Barni, Kallas and Tondi, 2019.";
    }

    @Override
    public ParamDescriptor parameters() {
        return SigParams.DESCRIPTOR;
    }

    /**
     * Poisons {@code data}: picks {@code min(round(poisonRatio * N), |target class|)} target-class training images
     * uniformly at random with {@code ctx.newRandom()} and adds the signal (labels unchanged); adds it to every test
     * image outside the target class. The actual count is logged and recorded as curves {@code poison/count} and
     * {@code poison/ratio} at x = 1.
     */
    @Override
    public PoisonedData poison(DatasetSplits data, ResolvedParams params, RunContext ctx) {
        SigParams p = SigParams.from(params);
        ImageSet train = data.train();
        AttackChecks.checkTargetLabel(p.targetLabel(), train.numClasses());
        int requested = AttackChecks.poisonCount(p.poisonRatio(), train.size());
        if (!(p.delta() > 0)) {
            throw AttackChecks.problem("delta", p.delta(), "must be greater than 0 (0 adds no signal)");
        }
        if (!(p.frequency() > 0)) {
            throw AttackChecks.problem("frequency", p.frequency(), "must be greater than 0 (0 adds no signal)");
        }
        int[] targetClass = IntStream.range(0, train.size()).filter(i -> train.label(i) == p.targetLabel()).toArray();
        if (targetClass.length == 0) {
            throw AttackChecks.problem("targetLabel", p.targetLabel(),
                    "the training set has no image of this class, so a clean-label attack cannot poison anything");
        }
        int count = Math.min(requested, targetClass.length);
        if (count < requested) {
            ctx.warn(String.format(Locale.ROOT, "sig: poisonRatio %.4f asks for %d images but class %d has only %d "
                    + "training images; poisoning all of them", p.poisonRatio(), requested, p.targetLabel(), count));
        }
        SinusoidalSignal signal = new SinusoidalSignal(train.channels(), train.height(), train.width(),
                p.delta() / 255.0, p.frequency());

        int[] indices = PoisonIndexSampler.pick(targetClass, count, ctx.newRandom());
        ctx.progress(0.05, "adding the signal to " + count + " target-class training images");
        ImageSet poisonedTrain = DataPoisoner.poisonTraining(train, indices, signal, label -> label, ctx);
        ctx.progress(0.6, "adding the signal to the test images");
        DataPoisoner.TriggeredTest test = DataPoisoner.triggerTestSet(data.test(), LabelMode.ALL_TO_ONE,
                p.targetLabel(), signal, ctx);
        if (test.targets().length == 0) {
            ctx.warn("sig: the test set has no image outside the target class, so ASR cannot be measured");
        }
        double ratio = count / (double) train.size();
        ctx.log(String.format(Locale.ROOT,
                "sig: clean-label, target %d; poisoned %d of %d training images (actual ratio %.4f; %d images in the "
                        + "target class); delta %.1f/255, f %.2f; %d triggered test images",
                p.targetLabel(), count, train.size(), ratio, targetClass.length, p.delta(), p.frequency(),
                test.targets().length));
        ctx.curve("poison/count", 1, count);
        ctx.curve("poison/ratio", 1, ratio);
        ctx.progress(1.0, "poisoned");
        return new PoisonedData(poisonedTrain, indices, test.images(), test.targets(), null,
                previews(train, indices[0], signal, p.delta() / 255.0));
    }

    private static List<PreviewImage> previews(ImageSet train, int sample, SinusoidalSignal signal, double delta) {
        int c = train.channels();
        int h = train.height();
        int w = train.width();
        float[] clean = ImagePixels.read(train.images(), sample);
        return List.of(
                Previews.of("clean training sample #" + sample, clean, c, h, w),
                Previews.of("poisoned sample (label unchanged)", signal.apply(clean), c, h, w),
                Previews.of("signal (gray = 0)", signal.picture(delta), c, h, w));
    }
}
