package io.purifier.defense.nad;

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
 * Neural Attention Distillation (Li, Lyu, Koren, Lyu, Li and Ma, ICLR 2021), as BackdoorBench's
 * {@code defense/nad.py}: a copy of the backdoored model fine-tuned on a little clean data becomes the teacher, and
 * the backdoored model, the student, is trained on the same data to match the teacher's attention maps at chosen
 * layers while keeping its cross-entropy low. Needs no trigger and no target class.
 */
@Component(service = Defense.class)
@PurifierPlugin(id = "nad", kind = PluginProperties.KIND_DEFENSE)
public final class NadDefense implements Defense {

    /** The stable id. */
    public static final String ID = "nad";

    /** Share of the training set handed over: 5%, class-balanced (BackdoorBench's {@code ratio}). */
    public static final double DEFAULT_FRACTION = 0.05;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String name() {
        return "Neural Attention Distillation (NAD)";
    }

    @Override
    public String description() {
        return "Fine-tunes a teacher on 5% clean labeled data, then trains the backdoored student with cross-entropy "
                + "plus attention-map distillation from the teacher at three layers. Li et al., ICLR 2021.";
    }

    @Override
    public ParamDescriptor parameters() {
        return NadParams.DESCRIPTOR;
    }

    @Override
    public DataContract dataContract() {
        return DataContract.labeledClean(DEFAULT_FRACTION);
    }

    /**
     * Distils a copy of {@code model}.
     *
     * @throws InvalidInputException when the model is not one the engine can train, has no usable attention layer,
     *                               or the data does not fit it
     */
    @Override
    public DefenseResult purify(Model model, DefenseData data, ResolvedParams params, RunContext ctx) {
        if (!(model instanceof EngineModel engineModel)) {
            throw new InvalidInputException("nad trains a teacher and a student, so it needs a model the engine can train "
                    + "(trained by Purifier, a native file or an imported format); got "
                    + (model == null ? "null" : model.getClass().getName()));
        }
        return NeuralAttentionDistillation.purify(engineModel, data.requireLabeled(), NadParams.from(params), ctx);
    }
}
