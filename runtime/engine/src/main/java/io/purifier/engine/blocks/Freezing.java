package io.purifier.engine.blocks;

import io.purifier.engine.model.BatchNormLayer;
import io.purifier.engine.model.EngineModel;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Freezing by layer: frozen parameters are excluded from training (gradients still flow through them), and
 * frozen batch-norm layers are pinned to their running statistics (so training neither uses nor updates their
 * batch statistics, as a frozen layer in eval mode would in PyTorch).
 */
public final class Freezing {

    private Freezing() {
    }

    /**
     * Freezes every parameter of the named layers and of the layers nested in them; batch-norm layers whose
     * parameters all end up frozen are pinned.
     *
     * @return the parameters frozen by this call
     */
    public static List<String> freezeLayers(EngineModel model, Collection<String> layers) {
        Set<String> params = new LinkedHashSet<>();
        for (String layer : layers) {
            params.addAll(model.parametersOf(layer));
        }
        model.freeze(params);
        pinFrozenBatchNorms(model);
        return List.copyOf(params);
    }

    /**
     * Freezes every parameter except those of the named layers (and of the layers nested in them); batch-norm
     * layers whose parameters are frozen are pinned.
     *
     * @return the parameters frozen by this call
     */
    public static List<String> freezeAllExcept(EngineModel model, Collection<String> trainableLayers) {
        Set<String> keep = new LinkedHashSet<>();
        for (String layer : trainableLayers) {
            keep.addAll(model.parametersOf(layer));
        }
        List<String> frozen = new ArrayList<>();
        for (String p : model.parameterNames()) {
            if (!keep.contains(p)) {
                frozen.add(p);
            }
        }
        model.freeze(frozen);
        pinFrozenBatchNorms(model);
        return frozen;
    }

    private static void pinFrozenBatchNorms(EngineModel model) {
        Set<String> frozen = model.frozenParameters();
        for (BatchNormLayer bn : model.batchNormLayers()) {
            if (frozen.contains(bn.gamma()) && frozen.contains(bn.beta())) {
                model.pinBatchNormToRunningStats(bn.name(), true);
            }
        }
    }

    /** Makes every parameter trainable and releases every pinned batch-norm layer. */
    public static void unfreezeAll(EngineModel model) {
        model.unfreeze(model.parameterNames());
        for (BatchNormLayer bn : model.batchNormLayers()) {
            model.pinBatchNormToRunningStats(bn.name(), false);
        }
    }
}
