package io.purifier.engine.blocks;

import io.purifier.engine.model.BatchNormLayer;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.model.ParamInit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Re-initialises parameters with the initialiser the architecture declared for them. With the model's own
 * seed ({@link EngineModel#seed()}) the values equal those of a freshly created twin.
 */
public final class Reinitialization {

    private Reinitialization() {
    }

    /** Re-initialises the named parameters from {@code seed}. */
    public static void parameters(EngineModel model, Collection<String> parameters, long seed) {
        synchronized (model) {
            for (String p : parameters) {
                ParamInit init = model.initializer(p);
                var arr = model.array(p);
                arr.assign(init.sample(arr.shape(), arr.dataType(), seed, p));
            }
        }
    }

    /**
     * Re-initialises every parameter of the named layers (and of layers nested in them), and resets the running statistics of batch-norm
     * layers among them (mean 0, variance 1).
     *
     * @return the parameters re-initialised
     */
    public static List<String> layers(EngineModel model, Collection<String> layers, long seed) {
        List<String> params = new ArrayList<>();
        for (String layer : layers) {
            params.addAll(model.parametersOf(layer));
        }
        parameters(model, params, seed);
        for (BatchNormLayer bn : model.batchNormLayers()) {
            if (params.contains(bn.gamma())) {
                model.array(bn.runningMean()).assign(0);
                model.array(bn.runningVar()).assign(1);
            }
        }
        return params;
    }
}
