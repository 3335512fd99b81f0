package io.purifier.defense.nc;

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
 * Neural Cleanse (Wang, Yao, Shan, Li, Viswanath, Zheng and Zhao, IEEE S&amp;P 2019), as BackdoorBench's
 * {@code defense/nc.py}: for every class, the smallest trigger (mask and pattern) that sends clean images there is
 * reverse-engineered; a backdoor target needs a much smaller one, so a class whose mask norm is an outlier below the
 * median (MAD) is flagged, and the model unlearns the recovered trigger by fine-tuning on clean images stamped with it
 * under their true labels. NC finds the target itself; it never sees poisoned data.
 */
@Component(service = Defense.class)
@PurifierPlugin(id = "nc", kind = PluginProperties.KIND_DEFENSE)
public final class NcDefense implements Defense {

    /** The stable id. */
    public static final String ID = "nc";

    /** Share of the training set handed over: 5%, class-balanced (BackdoorBench's {@code ratio}). */
    public static final double DEFAULT_FRACTION = 0.05;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String name() {
        return "Neural Cleanse (NC)";
    }

    @Override
    public String description() {
        return "Reverse-engineers a minimal trigger per class on 5% clean labeled data, flags anomalously small ones "
                + "(MAD > 2) as backdoor targets, and unlearns their triggers by fine-tuning. Wang et al., S&P 2019.";
    }

    @Override
    public ParamDescriptor parameters() {
        return NcParams.DESCRIPTOR;
    }

    @Override
    public DataContract dataContract() {
        return DataContract.labeledClean(DEFAULT_FRACTION);
    }

    /**
     * Detects the backdoor target and unlearns its trigger on a copy of {@code model}.
     *
     * @throws InvalidInputException when the model is not one the engine can train, or the data does not fit it
     */
    @Override
    public DefenseResult purify(Model model, DefenseData data, ResolvedParams params, RunContext ctx) {
        if (!(model instanceof EngineModel engineModel)) {
            throw new InvalidInputException("nc needs input gradients and fine-tunes the model, so it needs a model the "
                    + "engine can train (trained by Purifier, a native file or an imported format); got "
                    + (model == null ? "null" : model.getClass().getName()));
        }
        return NeuralCleanse.purify(engineModel, data.requireLabeled(), NcParams.from(params), ctx);
    }
}
