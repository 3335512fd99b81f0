package @@PACKAGE@@;

import io.purifier.api.InvalidInputException;
import io.purifier.api.PluginProperties;
import io.purifier.api.PurifierPlugin;
import io.purifier.api.data.Augmentation;
import io.purifier.api.data.ImageSet;
import io.purifier.api.defense.DataContract;
import io.purifier.api.defense.Defense;
import io.purifier.api.defense.DefenseData;
import io.purifier.api.defense.DefenseResult;
import io.purifier.api.model.Model;
import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ParamSpec;
import io.purifier.api.param.ResolvedParams;
import io.purifier.api.run.RunContext;
import io.purifier.engine.blocks.Freezing;
import io.purifier.engine.eval.Evaluator;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.train.Trainer;
import io.purifier.engine.train.TrainingConfig;
import io.purifier.engine.train.TrainingReport;
import org.osgi.service.component.annotations.Component;

import java.util.Map;

/**
 * The {@value #ID} defense: fine-tunes a copy of the model with cross-entropy on the clean labeled data. The
 * engine's {@link Trainer} shuffles with the run's seed, reports progress and checks cancellation every batch.
 */
@Component(service = Defense.class)
@PurifierPlugin(id = @@CLASS@@Defense.ID, kind = PluginProperties.KIND_DEFENSE)
public final class @@CLASS@@Defense implements Defense {

    /** The stable id: pipelines, URLs and the history name the defense by it. Never rename it. */
    public static final String ID = "@@ID@@";

    static final ParamDescriptor PARAMETERS = ParamDescriptor.of(
            ParamSpec.integer("epochs", 2, 1, 100, "Passes over the clean data."),
            ParamSpec.real("learningRate", 0.01, 1e-6, 1.0, "SGD learning rate (cosine schedule)."),
            ParamSpec.integer("batchSize", 32, 2, 1024, "Images per step."));

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String name() {
        return "@@ID@@";
    }

    @Override
    public String description() {
        return "Fine-tunes a copy of the model on 5% clean labeled data.";
    }

    @Override
    public ParamDescriptor parameters() {
        return PARAMETERS;
    }

    @Override
    public DataContract dataContract() {
        return DataContract.labeledClean(0.05);
    }

    @Override
    public DefenseResult purify(Model model, DefenseData data, ResolvedParams params, RunContext ctx) {
        if (!(model instanceof EngineModel engineModel)) {
            throw new InvalidInputException(ID + " needs a model the engine can train, got " + model.getClass().getName());
        }
        ImageSet clean = data.requireLabeled();
        EngineModel tuned = engineModel.copy();             // never change the input model
        Freezing.unfreezeAll(tuned);
        TrainingConfig cfg = new TrainingConfig("sgd", params.real("learningRate"), 0.9, 5e-4, "cosine",
                params.integer("epochs"), params.integer("batchSize"));
        TrainingReport report = Trainer.train(tuned, clean, Augmentation.none(), null, cfg, ctx);
        double accuracy = Evaluator.accuracy(tuned, clean);
        ctx.progress(1.0, ID + ": done");
        return new DefenseResult(tuned, Map.of("cleanAccuracy", accuracy, "finalTrainLoss", report.last().loss()));
    }
}
