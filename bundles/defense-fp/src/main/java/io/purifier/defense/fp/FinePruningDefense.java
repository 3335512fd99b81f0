package io.purifier.defense.fp;

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
 * Fine-Pruning (Liu, Dolan-Gavitt and Garg, RAID 2018), as BackdoorBench's {@code defense/fp.py}: backdoor neurons
 * tend to stay dormant on clean inputs, so the last convolutional stage's channels that are least active on clean
 * data are pruned while the clean accuracy holds, and the pruned model is fine-tuned on the clean data to remove
 * what pruning left. Needs no trigger and no target class.
 */
@Component(service = Defense.class)
@PurifierPlugin(id = "fp", kind = PluginProperties.KIND_DEFENSE)
public final class FinePruningDefense implements Defense {

    /** The stable id. */
    public static final String ID = "fp";

    /** Share of the training set handed over: 5%, class-balanced (BackdoorBench's {@code ratio}). */
    public static final double DEFAULT_FRACTION = 0.05;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String name() {
        return "Fine-Pruning (FP)";
    }

    @Override
    public String description() {
        return "Masks the last convolutional stage's least active channels on clean data while the clean accuracy "
                + "holds within 10%, then fine-tunes on 5% clean labeled data. Liu et al., RAID 2018.";
    }

    @Override
    public ParamDescriptor parameters() {
        return FinePruningParams.DESCRIPTOR;
    }

    @Override
    public DataContract dataContract() {
        return DataContract.labeledClean(DEFAULT_FRACTION);
    }

    /**
     * Prunes and fine-tunes a copy of {@code model}.
     *
     * @throws InvalidInputException when the model is not one the engine can train, has no layer to prune, or the
     *                               data does not fit it
     */
    @Override
    public DefenseResult purify(Model model, DefenseData data, ResolvedParams params, RunContext ctx) {
        if (!(model instanceof EngineModel engineModel)) {
            throw new InvalidInputException("fp masks channels inside the model and fine-tunes it, so it needs a model the "
                    + "engine can train (trained by Purifier, a native file or an imported format); got "
                    + (model == null ? "null" : model.getClass().getName()));
        }
        return FinePruning.purify(engineModel, data.requireLabeled(), FinePruningParams.from(params), ctx);
    }
}
