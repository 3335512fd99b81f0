package io.purifier.engine.nn.layers;

import io.purifier.api.InvalidInputException;
import io.purifier.engine.nn.Layer;
import io.purifier.engine.nn.LayerContext;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The network's input: images {@code [N, C, H, W]} with pixels in [0, 1]. The pass feeds it; its gradient is the
 * gradient with respect to the pixels.
 *
 * @param channels input channels
 * @param height   input height
 * @param width    input width
 */
public record Input(int channels, int height, int width) implements Layer {

    /** Type id. */
    public static final String TYPE = "input";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Map<String, Object> attributes() {
        return Map.of("channels", channels, "height", height, "width", width);
    }

    static Input from(Map<String, Object> a) {
        Attrs at = new Attrs(TYPE, a);
        return new Input(at.integer("channels"), at.integer("height"), at.integer("width"));
    }

    @Override
    public long[] outputShape(List<long[]> inputs) {
        long[] s = Shapes.only(TYPE, inputs);
        if (s.length != 4 || s[1] != channels || s[2] != height || s[3] != width) {
            throw new InvalidInputException("images must be [N, " + channels + ", " + height + ", " + width + "], got "
                    + Arrays.toString(s));
        }
        return s;
    }

    @Override
    public INDArray forward(LayerContext ctx, List<INDArray> inputs) {
        return inputs.get(0);
    }

    @Override
    public INDArray[] backward(LayerContext ctx, List<INDArray> inputs, INDArray output, INDArray gradOut) {
        return new INDArray[]{null};
    }

    @Override
    public boolean outputIsView() {
        return true;
    }
}
