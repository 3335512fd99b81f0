package io.purifier.defense.ftsam;

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
 * FT-SAM (Zhu, Wei, Shen, Fan and Wu, ICCV 2023): plain fine-tuning on a little clean data barely moves a backdoored
 * model out of the region of weight space where the backdoor lives; sharpness-aware minimisation, with a large
 * adaptive radius, moves the weights along the directions where the loss is sharp, which are the ones the backdoor
 * neurons depend on, so fine-tuning with it removes the backdoor while keeping clean accuracy.
 */
@Component(service = Defense.class)
@PurifierPlugin(id = "ft-sam", kind = PluginProperties.KIND_DEFENSE)
public final class FtSamDefense implements Defense {

    /** The stable id. */
    public static final String ID = "ft-sam";

    /** Share of the training set handed over: 5%, class-balanced (BackdoorBench's ratio). */
    public static final double DEFAULT_FRACTION = 0.05;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String name() {
        return "FT-SAM (fine-tuning with sharpness-aware minimisation)";
    }

    @Override
    public String description() {
        return "Fine-tunes every weight on 5% clean labeled data with adaptive SAM steps (radius 2) and label "
                + "smoothing. Zhu et al., ICCV 2023.";
    }

    @Override
    public ParamDescriptor parameters() {
        return FtSamParams.DESCRIPTOR;
    }

    @Override
    public DataContract dataContract() {
        return DataContract.labeledClean(DEFAULT_FRACTION);
    }

    /**
     * Returns a fine-tuned copy of {@code model}; the input model is not modified.
     *
     * @throws InvalidInputException when the model is not an engine model or the data does not fit it
     */
    @Override
    public DefenseResult purify(Model model, DefenseData data, ResolvedParams params, RunContext ctx) {
        if (!(model instanceof EngineModel engineModel)) {
            throw new InvalidInputException("ft-sam fine-tunes the model's weights, so it needs an engine model "
                    + "(trained by Purifier, a native file or an imported format); got "
                    + (model == null ? "null" : model.getClass().getName()));
        }
        if (data == null || data.labeled() == null) {
            throw new InvalidInputException("ft-sam needs clean labeled images; it was given "
                    + (data == null ? "no data" : data.description()));
        }
        return FtSamTraining.purify(engineModel, data.labeled(), FtSamParams.from(params), ctx);
    }
}
