package io.purifier.defense.ft;

import io.purifier.api.InvalidInputException;
import io.purifier.api.PluginProperties;
import io.purifier.api.PurifierPlugin;
import io.purifier.api.defense.DataContract;
import io.purifier.api.defense.Defense;
import io.purifier.api.defense.DefenseData;
import io.purifier.api.defense.DefenseResult;
import io.purifier.api.model.Model;
import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ResolvedParams;
import io.purifier.api.run.RunContext;
import io.purifier.engine.model.EngineModel;
import org.osgi.service.component.annotations.Component;

/**
 * FT, plain fine-tuning: the baseline every backdoor defense is compared with (BackdoorBench's {@code defense/ft.py}).
 * Every weight is trained further with cross-entropy on a little clean labeled data; clean data carries no trigger,
 * so the backdoor may fade while the clean task is refreshed. Needs no trigger and no target class.
 */
@Component(service = Defense.class)
@PurifierPlugin(id = "ft", kind = PluginProperties.KIND_DEFENSE)
public final class FineTuningDefense implements Defense {

    /** The stable id. */
    public static final String ID = "ft";

    /** Share of the training set handed over: 5%, class-balanced (BackdoorBench's {@code ratio}). */
    public static final double DEFAULT_FRACTION = 0.05;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String name() {
        return "Fine-tuning (FT)";
    }

    @Override
    public String description() {
        return "Trains every weight further with cross-entropy on 5% clean labeled data (SGD 0.01, cosine schedule, "
                + "random crops): BackdoorBench's FT baseline.";
    }

    @Override
    public ParamDescriptor parameters() {
        return FineTuningParams.DESCRIPTOR;
    }

    @Override
    public DataContract dataContract() {
        return DataContract.labeledClean(DEFAULT_FRACTION);
    }

    /**
     * Fine-tunes a copy of {@code model}.
     *
     * @throws InvalidInputException when the model is not one the engine can train, or the data does not fit it
     */
    @Override
    public DefenseResult purify(Model model, DefenseData data, ResolvedParams params, RunContext ctx) {
        if (!(model instanceof EngineModel engineModel)) {
            throw new InvalidInputException("ft trains every weight, so it needs a model the engine can train (trained "
                    + "by Purifier, a native file or an imported format); got "
                    + (model == null ? "null" : model.getClass().getName()));
        }
        return FineTuning.purify(engineModel, data.requireLabeled(), FineTuningParams.from(params), ctx);
    }
}
