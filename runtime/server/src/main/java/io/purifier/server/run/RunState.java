package io.purifier.server.run;

import io.purifier.api.attack.PoisonedData;
import io.purifier.api.data.DatasetSplits;
import io.purifier.api.data.ImageSet;
import io.purifier.api.metric.Evaluation;
import io.purifier.api.model.Model;
import io.purifier.server.pipeline.ValidatedPipeline;

/**
 * What a run has produced so far, handed from step to step: the dataset, the clean training images (without the
 * held-out part), the held-out images, the attack's poisoned data, the current model and the baseline evaluation
 * of the model step.
 */
final class RunState {

    final long runId;
    final ValidatedPipeline pipeline;
    /** The index of the step that runs now. */
    int step;
    DatasetSplits data;
    ImageSet cleanTrain;
    ImageSet heldOut;
    PoisonedData poisoned;
    Model model;
    Evaluation baseline;

    RunState(long runId, ValidatedPipeline pipeline) {
        this.runId = runId;
        this.pipeline = pipeline;
    }

    /** The images the model trains on: the attack's poisoned set, or the clean training images. */
    ImageSet trainingImages() {
        return poisoned != null ? poisoned.train() : cleanTrain;
    }
}
