package io.purifier.engine.blocks;

import io.purifier.engine.model.EngineModel;

/** Shapes of layer outputs. */
public final class LayerShapes {

    private LayerShapes() {
    }

    /** The output shape of {@code layer} for a batch of 2 (dimension 0 is the batch). */
    public static long[] outputShape(EngineModel model, String layer) {
        return model.outputShape(layer, 2);
    }
}
