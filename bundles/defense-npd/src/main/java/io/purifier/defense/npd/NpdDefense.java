package io.purifier.defense.npd;

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
 * Neural Polarizer Defense (Zhu, Wei, Zha and Wu, NeurIPS 2023): a lightweight trainable layer (1x1 convolution
 * + batch norm, identity-initialised) is inserted into the frozen backdoored model and trained on a little clean
 * labeled data to keep benign features and filter trigger features, against targeted adversarial perturbations
 * that stand in for the unknown trigger. Implemented as BackdoorBench's {@code defense/npd.py}.
 */
@Component(service = Defense.class)
@PurifierPlugin(id = "npd", kind = PluginProperties.KIND_DEFENSE)
public final class NpdDefense implements Defense {

    /** The stable id. */
    public static final String ID = "npd";

    /** Share of the training set handed over: 5%, class-balanced (BackdoorBench's ratio). */
    public static final double DEFAULT_FRACTION = 0.05;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String name() {
        return "Neural Polarizer (NPD)";
    }

    @Override
    public String description() {
        return "Inserts a trainable 1x1 conv + BN 'neural polarizer' into the frozen model and trains it by bi-level "
                + "optimisation against targeted adversarial surrogates of the trigger on 5% clean data. "
                + "Zhu et al., NeurIPS 2023.";
    }

    @Override
    public ParamDescriptor parameters() {
        return NpdParams.DESCRIPTOR;
    }

    @Override
    public DataContract dataContract() {
        return DataContract.labeledClean(DEFAULT_FRACTION);
    }

    /**
     * Returns a copy of {@code model} with a trained polarizer; the input model is not modified.
     *
     * @throws InvalidInputException when the model is not an engine model or the data does not fit it
     */
    @Override
    public DefenseResult purify(Model model, DefenseData data, ResolvedParams params, RunContext ctx) {
        if (!(model instanceof EngineModel engineModel)) {
            throw new InvalidInputException("npd trains a layer inside the model, so it needs an engine "
                    + "model such as those trained by Purifier or read by format 'native'; got "
                    + (model == null ? "null" : model.getClass().getName()));
        }
        return NpdPurifier.purify(engineModel, data.requireLabeled(), NpdParams.from(params), ctx);
    }
}
