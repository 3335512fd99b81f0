package io.purifier.defense.sau;

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
 * SAU, Shared Adversarial Unlearning (Wei, Zhang, Zha and Wu, NeurIPS 2023): the authors bound a backdoored model's
 * backdoor risk by its risk on <em>shared</em> adversarial examples, perturbations that fool the model and its frozen
 * original into the same class; SAU finds such examples on clean data with a shared PGD and unlearns them (the model
 * must not agree with the original on them) next to the clean loss.
 */
@Component(service = Defense.class)
@PurifierPlugin(id = "sau", kind = PluginProperties.KIND_DEFENSE)
public final class SauDefense implements Defense {

    /** The stable id. */
    public static final String ID = "sau";

    /** Share of the training set handed over: 5% (BackdoorBench's ratio). */
    public static final double DEFAULT_FRACTION = 0.05;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String name() {
        return "SAU (shared adversarial unlearning)";
    }

    @Override
    public String description() {
        return "Finds adversarial examples the model shares with its frozen original on 5% clean labeled data and "
                + "unlearns them next to the clean loss. Wei et al., NeurIPS 2023.";
    }

    @Override
    public ParamDescriptor parameters() {
        return SauParams.DESCRIPTOR;
    }

    @Override
    public DataContract dataContract() {
        return DataContract.labeledClean(DEFAULT_FRACTION);
    }

    /**
     * Returns an unlearnt copy of {@code model}; the input model is not modified.
     *
     * @throws InvalidInputException when the model is not an engine model or the data does not fit it
     */
    @Override
    public DefenseResult purify(Model model, DefenseData data, ResolvedParams params, RunContext ctx) {
        if (!(model instanceof EngineModel engineModel)) {
            throw new InvalidInputException("sau needs gradients with respect to the input and the weights, so it "
                    + "needs an engine model (trained by Purifier, a native file or an imported format); got "
                    + (model == null ? "null" : model.getClass().getName()));
        }
        if (data == null || data.labeled() == null) {
            throw new InvalidInputException("sau needs clean labeled images; it was given "
                    + (data == null ? "no data" : data.description()));
        }
        return SauUnlearning.purify(engineModel, data.labeled(), SauParams.from(params), ctx);
    }
}
