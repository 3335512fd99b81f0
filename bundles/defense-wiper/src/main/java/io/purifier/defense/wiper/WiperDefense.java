package io.purifier.defense.wiper;

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

import java.util.Map;

/**
 * WIPER (Fan, Liu, Chen, Liu, Guo, "Defense against Backdoor Attacks via Identifying and Purifying Bad Neurons",
 * arXiv 2208.06537): fine-tunes every parameter on a little labeled clean data with cross-entropy plus an
 * adaptive regularization penalty on the elements of the purifying layers that benign salience selects.
 */
@Component(service = Defense.class)
@PurifierPlugin(id = "wiper", kind = PluginProperties.KIND_DEFENSE)
public final class WiperDefense implements Defense {

    /** The stable id. */
    public static final String ID = "wiper";

    /** Default share of the training set handed over as labeled clean data. */
    public static final double DEFAULT_CLEAN_FRACTION = 0.05;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String name() {
        return "WIPER (benign salience + adaptive regularization)";
    }

    @Override
    public String description() {
        return "Fine-tunes the whole model on 5% clean data while an adaptive L1/exponential penalty, applied to the "
                + "final layer's weights ranked by benign salience, purifies them. Fan et al., arXiv 2208.06537.";
    }

    @Override
    public ParamDescriptor parameters() {
        return WiperParams.DESCRIPTOR;
    }

    @Override
    public DataContract dataContract() {
        return DataContract.labeledClean(DEFAULT_CLEAN_FRACTION);
    }

    /**
     * Purifies a copy of {@code model}; the input model is not modified.
     *
     * @throws InvalidInputException when the model is not an engine model, or the data does not fit it
     * @throws io.purifier.api.param.InvalidParametersException naming a bad {@code layers} or {@code selection}
     */
    @Override
    public DefenseResult purify(Model model, DefenseData data, ResolvedParams params, RunContext ctx) {
        if (!(model instanceof EngineModel engineModel)) {
            throw new InvalidInputException("wiper fine-tunes the model, so it needs an engine model (trained by "
                    + "Purifier, a native model file, or an imported model converted to the engine); got "
                    + (model == null ? "null" : model.getClass().getName()));
        }
        WiperParams p = WiperParams.from(params);
        EngineModel purified = engineModel.copy();
        WiperPurification purification = new WiperPurification(purified, data.requireLabeled(), p, ctx);
        Map<String, Object> summary = purification.run();
        purified.setProperty("defense.wiper", p.variant().id() + ", " + summary.get("selection") + ", layers "
                + summary.get("purifyingLayers") + ", " + p.epochs() + " epochs");
        ctx.progress(1.0, "purified");
        return new DefenseResult(purified, summary);
    }
}
