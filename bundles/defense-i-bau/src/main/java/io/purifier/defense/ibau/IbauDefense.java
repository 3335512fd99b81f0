package io.purifier.defense.ibau;

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
 * I-BAU, Implicit Backdoor Adversarial Unlearning (Zeng, Chen, Park, Mao, Jin and Jia, ICLR 2022): backdoor removal
 * as a minimax problem over a universal perturbation of clean data (the stand-in for the unknown trigger) and the
 * model's weights; each round finds the perturbation, then unlearns it following the implicit hypergradient, which
 * accounts for how the best perturbation moves with the weights.
 */
@Component(service = Defense.class)
@PurifierPlugin(id = "i-bau", kind = PluginProperties.KIND_DEFENSE)
public final class IbauDefense implements Defense {

    /** The stable id. */
    public static final String ID = "i-bau";

    /** Share of the training set handed over: 5% (BackdoorBench's ratio). */
    public static final double DEFAULT_FRACTION = 0.05;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String name() {
        return "I-BAU (implicit backdoor adversarial unlearning)";
    }

    @Override
    public String description() {
        return "Alternates a universal adversarial perturbation of 5% clean labeled data with unlearning it along the "
                + "implicit hypergradient of the minimax problem. Zeng et al., ICLR 2022.";
    }

    @Override
    public ParamDescriptor parameters() {
        return IbauParams.DESCRIPTOR;
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
            throw new InvalidInputException("i-bau needs gradients with respect to the input and the weights, so it "
                    + "needs an engine model (trained by Purifier, a native file or an imported format); got "
                    + (model == null ? "null" : model.getClass().getName()));
        }
        if (data == null || data.labeled() == null) {
            throw new InvalidInputException("i-bau needs clean labeled images; it was given "
                    + (data == null ? "no data" : data.description()));
        }
        return IbauUnlearning.purify(engineModel, data.labeled(), IbauParams.from(params), ctx);
    }
}
