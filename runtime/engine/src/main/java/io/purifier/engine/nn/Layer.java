package io.purifier.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

/**
 * One operation of a {@link Network}: its forward computation, its backward pass, the arrays (parameters and
 * buffers) it owns, and the attributes that describe it in a model file. Layers are immutable descriptions; their
 * arrays live in the model's {@link ArrayStore} under {@code node name + "/" + suffix}, and per-pass state goes
 * through the {@link LayerContext}.
 */
public interface Layer {

    /** The stable type id written to model files (for example {@code conv2d}). */
    String type();

    /** The attributes that, with {@link #type()}, recreate this layer through {@link LayerTypes}. */
    Map<String, Object> attributes();

    /** The arrays this layer owns, by suffix (full name: {@code node + "/" + suffix}). */
    default List<ArraySpec> arrays() {
        return List.of();
    }

    /**
     * The output shape for these input shapes (batch dimension included).
     *
     * @throws io.purifier.api.InvalidInputException when the inputs do not fit the layer
     */
    long[] outputShape(List<long[]> inputs);

    /**
     * Computes the output. The result is an array taken with {@link LayerContext#take} or a view of an input.
     * Whatever the backward pass needs beyond the inputs and the output is kept with {@link LayerContext#save}.
     */
    INDArray forward(LayerContext ctx, List<INDArray> inputs);

    /**
     * Back-propagates {@code gradOut} (the loss gradient with respect to the output): hands parameter gradients
     * to {@link LayerContext#parameterGradient} when {@link LayerContext#wantsGradient} says so, and returns the
     * gradient of each input for which {@link LayerContext#needsInputGradient} is true (null for the others).
     */
    INDArray[] backward(LayerContext ctx, List<INDArray> inputs, INDArray output, INDArray gradOut);

    /** Whether the output is a view of the first input (reshapes), so it needs no memory of its own. */
    default boolean outputIsView() {
        return false;
    }
}
