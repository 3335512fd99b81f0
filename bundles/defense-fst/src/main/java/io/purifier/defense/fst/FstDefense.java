package io.purifier.defense.fst;

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
 * FST, Feature Shift Tuning (Min, Qin, Shen and Cheng, NeurIPS 2023): at low poisoning rates backdoor and clean
 * features are entangled, and fine-tuning that keeps the classifier keeps the backdoor features too. FST re-initialises
 * the linear classifier and fine-tunes the whole model while a penalty on the inner product with the original
 * classifier, at a fixed classifier norm, makes the features shift away from the ones the backdoor used.
 */
@Component(service = Defense.class)
@PurifierPlugin(id = "fst", kind = PluginProperties.KIND_DEFENSE)
public final class FstDefense implements Defense {

    /** The stable id. */
    public static final String ID = "fst";

    /** Share of the training set handed over: 5% (BackdoorBench's ratio). */
    public static final double DEFAULT_FRACTION = 0.05;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String name() {
        return "FST (feature shift tuning)";
    }

    @Override
    public String description() {
        return "Re-initialises the linear classifier and fine-tunes the whole model on 5% clean labeled data with a "
                + "penalty alpha <W, W0> that pushes the classifier away from the original, at the original norm. "
                + "Min et al., NeurIPS 2023.";
    }

    @Override
    public ParamDescriptor parameters() {
        return FstParams.DESCRIPTOR;
    }

    @Override
    public DataContract dataContract() {
        return DataContract.labeledClean(DEFAULT_FRACTION);
    }

    /**
     * Returns a tuned copy of {@code model}; the input model is not modified.
     *
     * @throws InvalidInputException when the model is not an engine model, its logits do not come from a linear
     *                               classifier, or the data does not fit it
     */
    @Override
    public DefenseResult purify(Model model, DefenseData data, ResolvedParams params, RunContext ctx) {
        if (!(model instanceof EngineModel engineModel)) {
            throw new InvalidInputException("fst re-initialises and tunes the model's classifier, so it needs an engine "
                    + "model (trained by Purifier, a native file or an imported format); got "
                    + (model == null ? "null" : model.getClass().getName()));
        }
        if (data == null || data.labeled() == null) {
            throw new InvalidInputException("fst needs clean labeled images; it was given "
                    + (data == null ? "no data" : data.description()));
        }
        return FstTraining.purify(engineModel, data.labeled(), FstParams.from(params), ctx);
    }
}
