package io.purifier.engine.nn.layers;

import io.purifier.api.InvalidInputException;
import io.purifier.engine.nn.Layer;
import io.purifier.engine.nn.LayerContext;
import io.purifier.engine.tensor.Buf;
import io.purifier.engine.tensor.Parallel;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pads the two spatial axes of {@code [N, C, H, W]} with a constant ({@code F.pad(x, (left, right, top, bottom),
 * value=v)}, ONNX {@code Pad} in constant mode), each side separately, so asymmetric padding is possible. The
 * backward pass crops the gradient.
 *
 * @param top    rows added above
 * @param left   columns added on the left
 * @param bottom rows added below
 * @param right  columns added on the right
 * @param value  the fill value
 */
public record Pad2d(int top, int left, int bottom, int right, double value) implements Layer {

    /** Type id. */
    public static final String TYPE = "pad2d";

    /** Checks the sizes. */
    public Pad2d {
        if (top < 0 || left < 0 || bottom < 0 || right < 0) {
            throw new InvalidInputException("padding must not be negative, got top " + top + ", left " + left
                    + ", bottom " + bottom + ", right " + right);
        }
        if (!Double.isFinite(value)) {
            throw new InvalidInputException("the padding value must be finite, got " + value);
        }
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Map<String, Object> attributes() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("top", top);
        m.put("left", left);
        m.put("bottom", bottom);
        m.put("right", right);
        m.put("value", value);
        return m;
    }

    static Pad2d from(Map<String, Object> a) {
        Attrs at = new Attrs(TYPE, a);
        return new Pad2d(at.integer("top"), at.integer("left"), at.integer("bottom"), at.integer("right"),
                at.real("value", 0.0));
    }

    @Override
    public long[] outputShape(List<long[]> inputs) {
        long[] s = Shapes.rank4(TYPE, inputs);
        return new long[]{s[0], s[1], s[2] + top + bottom, s[3] + left + right};
    }

    @Override
    public INDArray forward(LayerContext ctx, List<INDArray> inputs) {
        INDArray x = inputs.get(0);
        long[] out = outputShape(List.of(x.shape()));
        INDArray y = ctx.take(out);
        copy(Buf.of(x), Buf.of(y), x.shape(), true);
        return y;
    }

    @Override
    public INDArray[] backward(LayerContext ctx, List<INDArray> inputs, INDArray output, INDArray gradOut) {
        if (!ctx.needsInputGradient(0)) {
            return new INDArray[]{null};
        }
        INDArray gx = ctx.take(inputs.get(0).shape());
        copy(Buf.of(gx), Buf.of(gradOut), gx.shape(), false);
        return new INDArray[]{gx};
    }

    /** Pads {@code inner} into {@code outer} ({@code pad}), or crops {@code outer} into {@code inner}. */
    private void copy(Buf inner, Buf outer, long[] innerShape, boolean pad) {
        int planes = (int) (innerShape[0] * innerShape[1]);
        int h = (int) innerShape[2];
        int w = (int) innerShape[3];
        int ph = h + top + bottom;
        int pw = w + left + right;
        Parallel.forRange(planes, (long) ph * pw, (from, to) -> {
            for (int p = from; p < to; p++) {
                int io = p * h * w;
                int oo = p * ph * pw;
                if (pad) {
                    for (int i = 0; i < ph * pw; i++) {
                        outer.set(oo + i, value);
                    }
                }
                for (int r = 0; r < h; r++) {
                    int orow = oo + (r + top) * pw + left;
                    int irow = io + r * w;
                    for (int c = 0; c < w; c++) {
                        if (pad) {
                            outer.set(orow + c, inner.get(irow + c));
                        } else {
                            inner.set(irow + c, outer.get(orow + c));
                        }
                    }
                }
            }
        });
    }
}
