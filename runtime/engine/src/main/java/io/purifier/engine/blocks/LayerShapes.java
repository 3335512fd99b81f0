package io.purifier.engine.blocks;

import io.purifier.engine.model.BnMode;
import io.purifier.engine.model.EngineModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

/** Shapes of layer outputs, found by running two blank images through the model. */
public final class LayerShapes {

    private LayerShapes() {
    }

    /** The output shape of {@code layer} for a batch of 2 (dimension 0 is the batch). */
    public static long[] outputShape(EngineModel model, String layer) {
        var info = model.info();
        INDArray blank = Nd4j.zeros(DataType.FLOAT, 2, info.channels(), info.height(), info.width());
        String var = model.layerOutput(layer);
        return model.output(blank, BnMode.EVAL, Map.of(), var).get(var).shape();
    }
}
