package io.purifier.attack.wanet;

import io.purifier.api.InvalidInputException;
import io.purifier.api.PluginProperties;
import io.purifier.api.PurifierPlugin;
import io.purifier.api.attack.Attack;
import io.purifier.api.attack.PoisonedData;
import io.purifier.api.attack.PreviewImage;
import io.purifier.api.data.DatasetSplits;
import io.purifier.api.data.ImageSet;
import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ResolvedParams;
import io.purifier.api.run.RunContext;
import io.purifier.data.poison.AttackChecks;
import io.purifier.data.poison.ImagePixels;
import io.purifier.data.poison.Previews;
import io.purifier.data.poison.TriggeredTestSet;
import org.osgi.service.component.annotations.Component;

import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * WaNet (Nguyen and Tran, ICLR 2021): a training-controlled attack whose trigger is a small, smooth warp of the
 * whole image. A random k x k control field is upsampled into a warping grid; during training each batch has a
 * share of warped, relabelled samples and a further share of "noise-mode" samples warped with extra random noise
 * that keep their labels, so the model learns this exact warp only. Configured as in BackdoorBench: k 4, s 0.5,
 * grid rescale 1, poison ratio 0.1, cross ratio 2.
 */
@Component(service = Attack.class)
@PurifierPlugin(id = "wanet", kind = PluginProperties.KIND_ATTACK)
public final class WanetAttack implements Attack {

    /** The stable id. */
    public static final String ID = "wanet";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String name() {
        return "WaNet (warping)";
    }

    @Override
    public String description() {
        return "Training-controlled: warps 10% of every training batch with a fixed smooth random warp and relabels "
                + "them, plus 20% noise-mode warps that keep their labels. Nguyen and Tran, ICLR 2021.";
    }

    @Override
    public ParamDescriptor parameters() {
        return WanetParams.DESCRIPTOR;
    }

    /**
     * Draws the control field from {@code ctx.newRandom()}, builds the warping grid and returns the clean training
     * set with a {@link WarpingHook} (no poison indices: poisoning happens per batch), and the test images outside
     * the target class (all-to-one) or all test images (all-to-all) warped with the fixed grid.
     */
    @Override
    public PoisonedData poison(DatasetSplits data, ResolvedParams params, RunContext ctx) {
        WanetParams p = WanetParams.from(params);
        ImageSet train = data.train();
        int classes = train.numClasses();
        AttackChecks.checkTargetLabel(p.targetLabel(), classes);
        AttackChecks.checkPoisonRatio(p.poisonRatio());
        int height = train.height();
        int width = train.width();
        if (height < 2 || width < 2) {
            throw new InvalidInputException("wanet needs images of at least 2x2 pixels, got " + height + "x" + width);
        }
        if (p.poisonRatio() * (1 + p.crossRatio()) > 1) {
            ctx.warn(String.format(Locale.ROOT, "wanet: poisonRatio %.3f x (1 + crossRatio %.2f) exceeds 1; the "
                    + "noise-mode share is cut to what is left of each batch", p.poisonRatio(), p.crossRatio()));
        }

        ControlField field = ControlField.random(p.k(), ctx.newRandom());
        WarpGrid grid = WarpGrid.warping(field, height, width, p.s(), p.gridRescale());
        WarpingHook hook = new WarpingHook(grid, p.mode(), p.targetLabel(), classes, p.poisonRatio(), p.crossRatio());
        ctx.progress(0.1, "warping the test images");
        TriggeredTestSet test = TriggeredTestSet.of(data.test(), p.mode(), p.targetLabel(),
                image -> grid.warp(image, train.channels()), ctx);
        test.warnWhenEmpty(ID, ctx);
        int exampleBatch = 128;
        int backdoor = (int) Math.floor(p.poisonRatio() * exampleBatch);
        ctx.log(String.format(Locale.ROOT,
                "wanet: %s, target %d; k %d, s %.3f, grid rescale %.3f; largest warp %.3f px; per batch of %d: "
                        + "%d warped and relabelled, %d noise-mode; %d warped test images",
                p.mode().id(), p.targetLabel(), p.k(), p.s(), p.gridRescale(), grid.maxDisplacementPixels(),
                exampleBatch, backdoor, WarpingHook.noiseCount(backdoor, p.crossRatio(), exampleBatch),
                test.size()));
        ctx.progress(1.0, "warping grid ready");
        return new PoisonedData(train, new int[0], test.images(), test.targets(), hook,
                previews(train, p.targetLabel(), grid));
    }

    private static List<PreviewImage> previews(ImageSet train, int targetLabel, WarpGrid grid) {
        int c = train.channels();
        int sample = 0;
        while (sample < train.size() - 1 && train.label(sample) == targetLabel) {
            sample++;
        }
        UnaryOperator<float[]> warp = image -> grid.warp(image, c);
        float[] clean = ImagePixels.read(train.images(), sample);
        return Previews.ofSample(train, sample, warp, "warped sample", "difference, amplified (gray = 0)",
                Previews.amplifiedDifference(clean, warp.apply(clean)));
    }
}
