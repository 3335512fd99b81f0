package io.purifier.defense.clp;

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
 * CLP, Channel Lipschitzness-based Pruning (Zheng, Tang, Li and Liu, ECCV 2022): backdoor channels react strongly to
 * the small trigger, so their upper bound of the channel Lipschitz constant (UCLC, computed from the weights alone)
 * stands out in their layer; CLP zeroes the channels whose UCLC exceeds mean + u x std of their layer. Data-free: it
 * sees no image at all.
 */
@Component(service = Defense.class)
@PurifierPlugin(id = "clp", kind = PluginProperties.KIND_DEFENSE)
public final class ClpDefense implements Defense {

    /** The stable id. */
    public static final String ID = "clp";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String name() {
        return "CLP (channel Lipschitzness-based pruning)";
    }

    @Override
    public String description() {
        return "Data-free: prunes the convolution channels whose channel Lipschitz upper bound (from the weights and the "
                + "batch norm) exceeds mean + u x std of their layer. Zheng et al., ECCV 2022.";
    }

    @Override
    public ParamDescriptor parameters() {
        return ClpParams.DESCRIPTOR;
    }

    /** None: CLP reads only the weights. */
    @Override
    public DataContract dataContract() {
        return DataContract.none();
    }

    /**
     * Returns a pruned copy of {@code model}; the input model is not modified.
     *
     * @throws InvalidInputException when the model is not an engine model, has no prunable convolution, or data was
     *                               handed over (CLP is data-free and refuses it)
     */
    @Override
    public DefenseResult purify(Model model, DefenseData data, ResolvedParams params, RunContext ctx) {
        if (!(model instanceof EngineModel engineModel)) {
            throw new InvalidInputException("clp reads and masks the convolution weights, so it needs an engine model "
                    + "(trained by Purifier, a native file or an imported format); got "
                    + (model == null ? "null" : model.getClass().getName()));
        }
        if (data != null && (data.labeled() != null || data.unlabeled() != null)) {
            throw new InvalidInputException("clp is data-free and refuses data; it was given " + data.description());
        }
        return ClpPruner.purify(engineModel, ClpParams.from(params), ctx);
    }
}
