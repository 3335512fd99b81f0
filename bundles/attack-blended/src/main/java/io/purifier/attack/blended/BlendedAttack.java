package io.purifier.attack.blended;

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
 * Blended (Chen, Liu, Li, Lu and Song, 2017): a full-image pattern is blended into a random share of the training
 * images, which are relabelled to the target class (dirty-label). BackdoorBench blends the Hello Kitty picture
 * with alpha 0.2 into 10% of the training set; here the default pattern is seeded uniform noise (no downloads),
 * and a picture can be given instead.
 */
@Component(service = Attack.class)
@PurifierPlugin(id = "blended", kind = PluginProperties.KIND_ATTACK)
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
        AttackChecks.checkTargetLabel(p.targetLabel(), train.numClasses());
        int count = AttackChecks.poisonCount(p.poisonRatio(), train.size());
        if (!(p.alpha() > 0)) {
            throw AttackChecks.problem("alpha", p.alpha(), "must be greater than 0 (0 leaves the images unchanged)");
        }
        BlendTrigger trigger = new BlendTrigger(pattern(p, train, ctx), p.alpha());

        PoisonedSplits poisoned = PoisoningFlow.poison(data,
                PoisonRecipe.dirtyLabel(ID, "blending the pattern into", trigger, p.mode(), p.targetLabel()),
                PoisonIndices.all(train.size()), count, ctx);

        ctx.log(String.format(Locale.ROOT,
                "blended: %s, target %d; poisoned %d of %d training images (ratio %.4f); alpha %.3f; "
                        + "%d triggered test images",
                p.mode().id(), p.targetLabel(), count, train.size(), count / (double) train.size(), p.alpha(),
                poisoned.test().size()));
        ctx.progress(1.0, "poisoned");
        return poisoned.toPoisonedData(Previews.ofSample(train, poisoned.indices()[0], trigger, "poisoned sample",
                "blend pattern", trigger.pattern()));
    }

    private static float[] pattern(BlendedParams p, ImageSet train, RunContext ctx) {
        int c = train.channels();
        int h = train.height();
        int w = train.width();
        if (p.triggerImage().isEmpty()) {
            ctx.log("blended: pattern = uniform noise from patternSeed " + p.patternSeed());
            return BlendTrigger.uniformNoise(p.patternSeed(), c * h * w);
        }
        Path file = TriggerPicture.locate(ctx.dataRoots(), p.triggerImage(), "triggerImage");
        TriggerPicture picture = TriggerPicture.read(file, "triggerImage");
        ctx.log("blended: pattern = " + file + " (" + picture.width() + "x" + picture.height() + ", "
                + picture.bands() + " band(s)) resized to " + w + "x" + h + "; patternSeed ignored");
        return picture.resizeBilinear(h, w).toChannels(c);
    }
}
