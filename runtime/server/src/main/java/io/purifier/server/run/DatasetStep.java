package io.purifier.server.run;

import io.purifier.api.PluginKind;
import io.purifier.api.data.DatasetProvider;
import io.purifier.api.data.DatasetSplits;
import io.purifier.data.Subsets;
import io.purifier.server.pipeline.StepPlans;
import io.purifier.server.pipeline.ValidatedPipeline.Resolved;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Step 0: loads the dataset, records its identity in the provenance, and holds out the fraction of the training
 * images that unlabeled in-distribution defenses get (so the model never trains on them).
 */
final class DatasetStep {

    private final StepRunner steps;
    private final RunRecorder recorder;
    private final Provenance provenance;

    DatasetStep(StepRunner steps, RunRecorder recorder, Provenance provenance) {
        this.steps = steps;
        this.recorder = recorder;
        this.provenance = provenance;
    }

    void run(RunState s) throws StepFailure {
        Resolved ds = s.pipeline.dataset();
        StepRunner.Step<DatasetProvider> step = new StepRunner.Step<>(StepPlans.DATASET, PluginKind.DATASET, ds.id(),
                DatasetProvider.class, ds.params(), null);
        s.data = steps.run(s.step, step, (provider, ctx) -> {
            DatasetSplits splits = provider.load(ds.params(), ctx);
            if (splits == null) {
                throw new IllegalStateException("dataset provider returned no data");
            }
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("datasetId", splits.datasetId());
            summary.put("contentHash", splits.contentHash());
            summary.put("trainSize", splits.train().size());
            summary.put("testSize", splits.test().size());
            summary.put("shape", Shapes.of(splits.train()));
            summary.put("classes", splits.train().numClasses());
            return new StepRunner.Output<>(splits, summary);
        });
        provenance.dataset(s.data.datasetId(), s.data.contentHash(), s.data.train().size(), s.data.test().size(),
                Shapes.of(s.data.train()));
        s.cleanTrain = s.data.train();
        double heldOut = s.pipeline.heldOutFraction();
        if (heldOut > 0) {
            Subsets.Split split = Subsets.split(s.data.train(), heldOut, StepContext.stepSeed(s.pipeline.seed(), s.step));
            s.cleanTrain = split.kept();
            s.heldOut = split.heldOut();
            recorder.log(s.step, "INFO", "held out " + s.heldOut.size() + " training images (" + Shapes.percent(heldOut)
                    + ") as unlabeled data for defenses; the model trains on the other " + s.cleanTrain.size());
        }
        s.step++;
    }
}
