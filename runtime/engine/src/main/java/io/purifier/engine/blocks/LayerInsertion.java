package io.purifier.engine.blocks;

import io.purifier.api.InvalidInputException;
import io.purifier.engine.model.BatchNormLayer;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.model.GraphBuilder;
import io.purifier.engine.model.ParamInit;
import org.nd4j.autodiff.samediff.SDVariable;

import java.util.List;
import java.util.function.BiFunction;

/**
 * Inserts new layers after a named layer: everything that consumed the layer's output now consumes the new
 * block's output. New layers are registered in the model's layer order right after the insertion point.
 */
public final class LayerInsertion {

    private LayerInsertion() {
    }

    /**
     * Inserts an arbitrary block.
     *
     * @param model      the model, changed in place
     * @param afterLayer the layer whose output feeds the block
     * @param seed       seed of the new parameters' initialisers
     * @param block      builds the block from the layer output, registering its layers with the builder
     * @return the block's output variable
     */
    public static SDVariable insert(EngineModel model, String afterLayer, long seed,
                                    BiFunction<GraphBuilder, SDVariable, SDVariable> block) {
        synchronized (model) {
            String var = model.layerOutput(afterLayer);
            List<String> consumers = model.consumersOf(var);
            GraphBuilder b = GraphBuilder.extend(model, seed, afterLayer);
            SDVariable out = block.apply(b, b.graph().getVariable(var));
            model.rewire(var, out, consumers);
            return out;
        }
    }

    /**
     * Inserts a 1x1 convolution (identity-initialised, no bias) followed by batch norm whose running statistics
     * make it the identity in eval mode ({@code mean 0, var 1 - eps, gamma 1, beta 0}), so the model's eval
     * outputs are unchanged right after insertion. Names: {@code name + ".conv"}, {@code name + ".bn"}.
     *
     * @param model      the model, changed in place
     * @param afterLayer a layer with a 4-D output {@code [N, C, H, W]}
     * @param name       prefix of the new layers
     * @param seed       seed (the identity init is deterministic anyway)
     * @return the names of the new layers
     * @throws InvalidInputException when the layer output is not 4-D or the names are taken
     */
    public static List<String> insertIdentityConvBn(EngineModel model, String afterLayer, String name, long seed) {
        long[] shape = LayerShapes.outputShape(model, afterLayer);
        if (shape.length != 4) {
            throw new InvalidInputException("layer '" + afterLayer + "' has a " + shape.length
                    + "-D output; a 1x1 conv + BN needs a 4-D [N, C, H, W] output");
        }
        int c = (int) shape[1];
        String convName = name + ".conv";
        String bnName = name + ".bn";
        insert(model, afterLayer, seed, (b, x) -> {
            SDVariable w = b.parameter(convName + "/W", ParamInit.identity(), c, c, 1, 1);
            SDVariable y = b.convWith(convName, x, w, null, 1, 1, 0);
            return b.batchNorm(bnName, y, c);
        });
        BatchNormLayer bn = BatchNormLayer.named(bnName, c);
        model.array(bn.runningVar()).assign(1.0 - GraphBuilder.BN_EPS);
        return List.of(convName, bnName);
    }
}
