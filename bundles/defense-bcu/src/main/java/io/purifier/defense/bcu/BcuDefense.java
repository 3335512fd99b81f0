package io.purifier.defense.bcu;

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
 * BCU, Backdoor Cleansing with Unlabeled data (Pang, Sun, Ling and Chen, CVPR 2023): a copy of the model has a
 * share of its weights re-initialized, growing with depth, and learns the backdoored teacher's soft predictions
 * on unlabeled images, which carry no trigger, so the backdoor is not passed on. Needs no labels, no trigger and
 * no target class; the unlabeled images may come from another dataset.
 */
@Component(service = Defense.class)
@PurifierPlugin(id = "bcu", kind = PluginProperties.KIND_DEFENSE)
public final class BcuDefense implements Defense {

    /** The stable id. */
    public static final String ID = "bcu";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String name() {
        return "BCU (unlabeled re-initialization + distillation)";
    }

    @Override
    public String description() {
        return "Re-initializes a depth-growing share of the weights (1% to 27%) and distils the backdoored model "
                + "into them on unlabeled images with a temperature rising from 1 to 4. Pang et al., CVPR 2023.";
    }

    @Override
    public ParamDescriptor parameters() {
        return BcuParams.DESCRIPTOR;
    }

    /** Unlabeled images: 10% of the training set held out before the attacked model is trained, or another dataset. */
    @Override
    public DataContract dataContract() {
        return DataContract.unlabeled(0.10, true);
    }

    /**
     * Runs BCU on a copy of {@code model}.
     *
     * @throws InvalidInputException when the model is not an engine model, when the data holds labels (BCU
     *                               must never see them) or no unlabeled images, or when the images do not fit
     */
    @Override
    public DefenseResult purify(Model model, DefenseData data, ResolvedParams params, RunContext ctx) {
        if (!(model instanceof EngineModel teacher)) {
            throw new InvalidInputException("bcu needs a model the engine can train (an EngineModel: trained by "
                    + "Purifier, a native file or an imported format), got " + model.getClass().getName());
        }
        if (data == null || data.labeled() != null) {
            throw new InvalidInputException("bcu trains on unlabeled images only and refuses labeled data; it was given "
                    + (data == null ? "no data" : "labeled data (" + data.description() + ")"));
        }
        if (data.unlabeled() == null) {
            throw new InvalidInputException("bcu needs unlabeled images; it was given none (" + data.description() + ")");
        }
        BcuParams p = BcuParams.from(params);
        ctx.log("bcu: " + data.description());
        return BcuCleanser.purify(teacher, data.unlabeled(), p, ctx);
    }
}
