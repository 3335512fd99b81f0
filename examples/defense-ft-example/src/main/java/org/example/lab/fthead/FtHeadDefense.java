package org.example.lab.fthead;

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

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * FT-head: fine-tunes only the last {@code trainableLayers} layers with parameters of a copy of the model on the
 * clean labeled data; the rest is frozen. The engine's trainer shuffles with the run's seed, reports progress and
 * checks cancellation every batch.
 */
@Component(service = Defense.class)
@PurifierPlugin(id = FtHeadDefense.ID, kind = PluginProperties.KIND_DEFENSE)
public final class FtHeadDefense implements Defense {

    /** The stable id (the built-in {@code ft} fine-tunes every layer). */
    public static final String ID = "ft-head";

    static final ParamDescriptor PARAMETERS = ParamDescriptor.of(
            ParamSpec.integer("trainableLayers", 1, 1, 50, "Layers with parameters trained, counted from the output."),
            ParamSpec.integer("epochs", 2, 1, 100, "Passes over the clean data."),
            ParamSpec.real("learningRate", 0.01, 1e-6, 1.0, "SGD learning rate (cosine schedule)."),
            ParamSpec.integer("batchSize", 32, 2, 1024, "Images per step."));

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String name() {
        return "Fine-tuning of the last layers (example)";
    }

    @Override
    public String description() {
        return "Fine-tunes only the last layers of the model on 5% clean labeled data: an example third-party defense.";
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
        EngineModel tuned = engineModel.copy();
        Freezing.unfreezeAll(tuned);
        List<String> head = lastLayersWithParameters(tuned, params.integer("trainableLayers"));
        Freezing.freezeAllExcept(tuned, head);
        ctx.log(ID + ": training " + head + " on " + clean.size() + " clean images");
        TrainingConfig cfg = new TrainingConfig("sgd", params.real("learningRate"), 0.9, 5e-4, "cosine",
                params.integer("epochs"), params.integer("batchSize"));
        TrainingReport report = Trainer.train(tuned, clean, Augmentation.none(), null, cfg, ctx);
        Freezing.unfreezeAll(tuned);
        ctx.progress(1.0, ID + ": done");
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("trainedLayers", String.join(",", head));
        summary.put("cleanAccuracy", Evaluator.accuracy(tuned, clean));
        summary.put("finalTrainLoss", report.last().loss());
        return new DefenseResult(tuned, summary);
    }

    private static List<String> lastLayersWithParameters(EngineModel model, int count) {
        List<String> layers = new ArrayList<>();
        List<String> names = model.layerNames();
        for (int i = names.size() - 1; i >= 0 && layers.size() < count; i--) {
            if (!model.parametersOf(names.get(i)).isEmpty()) {
                layers.add(names.get(i));
            }
        }
        if (layers.isEmpty()) {
            throw new InvalidInputException(ID + ": the model has no layer with parameters to fine-tune");
        }
        return layers;
    }
}
