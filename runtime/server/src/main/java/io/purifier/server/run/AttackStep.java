package io.purifier.server.run;

import io.purifier.api.PluginKind;
import io.purifier.api.attack.Attack;
import io.purifier.api.attack.PoisonedData;
import io.purifier.api.attack.PreviewImage;
import io.purifier.api.data.DatasetSplits;
import io.purifier.server.pipeline.StepPlans;
import io.purifier.server.pipeline.ValidatedPipeline.Resolved;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Step 1 when the pipeline has an attack: poisons the clean training images (and builds the poisoned test set), and
 * writes the attack's preview pictures as artifacts.
 */
final class AttackStep {

    /** Preview pictures are upscaled by an integer factor to about this many pixels across. */
    private static final int PREVIEW_PIXELS = 112;

    private final StepRunner steps;

    AttackStep(StepRunner steps) {
        this.steps = steps;
    }

    void run(RunState s) throws StepFailure {
        Resolved attack = s.pipeline.attack();
        DatasetSplits input = new DatasetSplits(s.data.datasetId(), s.data.contentHash(), s.cleanTrain, s.data.test(),
                s.data.normalization(), s.data.augmentation());
        StepRunner.Step<Attack> step = new StepRunner.Step<>(StepPlans.ATTACK, PluginKind.ATTACK, attack.id(), Attack.class,
                attack.params(), null);
        s.poisoned = steps.run(s.step, step, (plugin, ctx) -> {
            PoisonedData poisoned = plugin.poison(input, attack.params(), ctx);
            if (poisoned == null) {
                throw new IllegalStateException("attack returned no data");
            }
            int i = 0;
            for (PreviewImage preview : poisoned.previews()) {
                String name = String.format("trigger-%d-%s.png", i++, preview.caption().replaceAll("[^A-Za-z0-9]+", "-"));
                int scale = Math.max(1, PREVIEW_PIXELS / (int) preview.image().size(1));
                PreviewImages.writePng(preview.image(), ctx.artifactDir().resolve(name), scale);
            }
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("poisonedTrainingImages", poisoned.poisonIndices().length);
            summary.put("trainingControlled", poisoned.trainingHook() != null);
            summary.put("poisonedTestImages", poisoned.poisonedTest().size());
            return new StepRunner.Output<>(poisoned, summary);
        });
        s.step++;
    }
}
