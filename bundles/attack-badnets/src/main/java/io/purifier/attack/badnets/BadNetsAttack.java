package io.purifier.attack.badnets;

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
import io.purifier.data.poison.PoisonIndices;
import io.purifier.data.poison.PoisonRecipe;
import io.purifier.data.poison.PoisoningFlow;
import io.purifier.data.poison.PoisoningFlow.PoisonedSplits;
import io.purifier.data.poison.Previews;
import io.purifier.data.poison.TriggerPicture;
import org.osgi.service.component.annotations.Component;

import java.nio.file.Path;
import java.util.Locale;

/**
 * BadNets (Gu, Dolan-Gavitt and Garg, 2017): a small patch is stamped on a random share of the training images,
 * which are relabelled to the target class (dirty-label). Configured as in BackdoorBench: a 3x3 white square in
 * the bottom-right corner, 10% of the whole training set, target class 0.
 */
@Component(service = Attack.class)
@PurifierPlugin(id = "badnets", kind = PluginProperties.KIND_ATTACK)
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
        AttackChecks.checkTargetLabel(p.targetLabel(), train.numClasses());
        int count = AttackChecks.poisonCount(p.poisonRatio(), train.size());
        PatchTrigger trigger = trigger(p, train.channels(), train.height(), train.width(), ctx);

        PoisonedSplits poisoned = PoisoningFlow.poison(data,
                PoisonRecipe.dirtyLabel(ID, "stamping the patch on", trigger, p.mode(), p.targetLabel()),
                PoisonIndices.all(train.size()), count, ctx);

        ctx.log(String.format(Locale.ROOT,
                "badnets: %s, target %d; poisoned %d of %d training images (ratio %.4f); %dx%d patch at rows %d-%d, "
                        + "columns %d-%d (%d pixels replaced); %d triggered test images",
                p.mode().id(), p.targetLabel(), count, train.size(), count / (double) train.size(), trigger.size(),
                trigger.size(), trigger.top(), trigger.top() + trigger.size() - 1, trigger.left(),
                trigger.left() + trigger.size() - 1, trigger.maskedPixels(), poisoned.test().size()));
        ctx.progress(1.0, "poisoned");
        return poisoned.toPoisonedData(Previews.ofSample(train, poisoned.indices()[0], trigger, "poisoned sample",
                "trigger (on black)", trigger.onBlack()));
    }

    private static PatchTrigger trigger(BadNetsParams p, int channels, int height, int width, RunContext ctx) {
        int top = p.top(height, width);
        int left = p.left(height, width);
        if (p.triggerImage().isEmpty()) {
            return PatchTrigger.ofPattern(p.pattern(), channels, height, width, top, left, p.patchSize());
        }
        Path file = TriggerPicture.locate(ctx.dataRoots(), p.triggerImage(), "triggerImage");
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
}
