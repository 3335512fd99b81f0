package io.purifier.defense.anp;

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
 * Adversarial Neuron Pruning (Wu and Wang, NeurIPS 2021), as BackdoorBench's {@code defense/anp.py}: backdoored
 * models are sensitive to small adversarial perturbations of their neurons, which make them predict the target
 * class; a mask per neuron is learnt on a little clean data to keep the loss low under such perturbations, and the
 * neurons whose masks fall low are pruned. Needs no trigger and no target class; the weights are never trained.
 */
@Component(service = Defense.class)
@PurifierPlugin(id = "anp", kind = PluginProperties.KIND_DEFENSE)
public final class AnpDefense implements Defense {

    /** The stable id. */
    public static final String ID = "anp";

    /** Share of the training set handed over: 5%, class-balanced (BackdoorBench's {@code ratio}). */
    public static final double DEFAULT_FRACTION = 0.05;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String name() {
        return "Adversarial Neuron Pruning (ANP)";
    }

    @Override
    public String description() {
        return "Learns a mask per neuron that keeps the clean loss low under adversarial neuron perturbations, "
                + "then prunes the neurons with small masks; 5% clean labeled data. Wu and Wang, NeurIPS 2021.";
    }

    @Override
    public ParamDescriptor parameters() {
        return AnpParams.DESCRIPTOR;
    }

    @Override
    public DataContract dataContract() {
        return DataContract.labeledClean(DEFAULT_FRACTION);
    }

    /**
     * Prunes a copy of {@code model}.
     *
     * @throws InvalidInputException when the model is not an engine model, has no neurons of the chosen kind, or the
     *                               data does not fit it
     */
    @Override
    public DefenseResult purify(Model model, DefenseData data, ResolvedParams params, RunContext ctx) {
        if (!(model instanceof EngineModel engineModel)) {
            throw new InvalidInputException("anp differentiates the loss with respect to neuron masks inside the model, so "
                    + "it needs a model the engine can train (trained by Purifier, a native file or an imported format); got "
                    + (model == null ? "null" : model.getClass().getName()));
        }
        return AdversarialNeuronPruning.purify(engineModel, data.requireLabeled(), AnpParams.from(params), ctx);
    }
}
