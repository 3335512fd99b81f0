package io.purifier.attack.sig;

import io.purifier.api.PluginProperties;
import io.purifier.api.PurifierPlugin;
import io.purifier.api.attack.Attack;
import io.purifier.api.attack.PoisonedData;
import io.purifier.api.data.DatasetSplits;
import io.purifier.api.data.ImageSet;
import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ResolvedParams;
import io.purifier.api.run.RunContext;
import io.purifier.data.poison.AttackChecks;
import io.purifier.data.poison.PoisonRecipe;
import io.purifier.data.poison.PoisoningFlow;
import io.purifier.data.poison.PoisoningFlow.PoisonedSplits;
import io.purifier.data.poison.Previews;
import org.osgi.service.component.annotations.Component;

import java.util.Locale;
import java.util.stream.IntStream;

/**
 * SIG (Barni, Kallas and Tondi, 2019): a clean-label attack. A horizontal sinusoid is added to training images of
 * the target class only, whose labels stay correct; at test time the same signal on an image of another class
 * pulls it to the target. Configured as in BackdoorBench: delta 40 (of 255), f 6, 10% of the training set.
 */
@Component(service = Attack.class)
@PurifierPlugin(id = "sig", kind = PluginProperties.KIND_ATTACK)
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

        PoisonedSplits poisoned = PoisoningFlow.poison(data,
                PoisonRecipe.cleanLabel(ID, "adding the signal to", signal, p.targetLabel()), targetClass, count, ctx);

        double ratio = count / (double) train.size();
        ctx.log(String.format(Locale.ROOT,
                "sig: clean-label, target %d; poisoned %d of %d training images (actual ratio %.4f; %d images in the "
                        + "target class); delta %.1f/255, f %.2f; %d triggered test images",
                p.targetLabel(), count, train.size(), ratio, targetClass.length, p.delta(), p.frequency(),
                poisoned.test().size()));
        ctx.curve("poison/count", 1, count);
        ctx.curve("poison/ratio", 1, ratio);
        ctx.progress(1.0, "poisoned");
        return poisoned.toPoisonedData(Previews.ofSample(train, poisoned.indices()[0], signal,
                "poisoned sample (label unchanged)", "signal (gray = 0)", signal.picture(p.delta() / 255.0)));
    }
}
