package io.purifier.defense.ibau;

import io.purifier.api.data.Normalization;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * I-BAU's universal perturbation lives, as in the reference, in the model's <em>normalized</em> input space (it is
 * added to the normalized images, unclipped): one {@code [1, C, H, W]} array {@code delta}. The engine's models take
 * pixels and normalize inside, so {@code delta} is added to the pixels as {@code delta * std_c}, and a gradient with
 * respect to the pixels becomes one with respect to {@code delta} by multiplying with {@code std_c} (and summing over
 * the images the perturbation was added to).
 */
final class PerturbationSpace {

    private final double[] std;
    private final long[] shape;

    /**
     * @param normalization the model's normalization
     * @param channels      input channels
     * @param height        input height
     * @param width         input width
     */
    PerturbationSpace(Normalization normalization, int channels, int height, int width) {
        this.std = normalization.std().clone();
        this.shape = new long[]{1, channels, height, width};
    }

    /** A zero perturbation {@code [1, C, H, W]} (DOUBLE). */
    INDArray zeros() {
        return Nd4j.zeros(DataType.DOUBLE, shape);
    }

    /** {@code delta} in pixel units ({@code delta * std_c}), as FLOAT {@code [1, C, H, W]}. */
    INDArray toPixels(INDArray delta) {
        INDArray out = delta.castTo(DataType.DOUBLE).dup('c');
        for (int c = 0; c < std.length; c++) {
            out.get(NDArrayIndex.all(), NDArrayIndex.point(c))
                    .muli(std[c]);
        }
        return out;
    }

    /**
     * {@code images + delta} on the rows marked in {@code rows} (all rows when null), in pixel units, in the images'
     * data type; a new array.
     */
    INDArray perturb(INDArray images, INDArray delta, boolean[] rows) {
        INDArray pixels = toPixels(delta).castTo(images.dataType());
        INDArray out = images.dup('c');
        for (int i = 0; i < out.size(0); i++) {
            if (rows == null || rows[i]) {
                out.get(NDArrayIndex.point(i)).addi(pixels.get(NDArrayIndex.point(0)));
            }
        }
        return out;
    }

    /**
     * The gradient with respect to {@code delta} of a loss whose pixel gradient is {@code pixelGradient}
     * ({@code [B, C, H, W]}), summed over the rows marked in {@code rows} (all when null): {@code std_c * sum_i g_i}.
     */
    INDArray deltaGradient(INDArray pixelGradient, boolean[] rows) {
        INDArray g = pixelGradient.castTo(DataType.DOUBLE);
        INDArray sum = Nd4j.zeros(DataType.DOUBLE, shape);
        INDArray target = sum.get(NDArrayIndex.point(0));
        for (int i = 0; i < g.size(0); i++) {
            if (rows == null || rows[i]) {
                target.addi(g.get(NDArrayIndex.point(i)));
            }
        }
        for (int c = 0; c < std.length; c++) {
            sum.get(NDArrayIndex.all(), NDArrayIndex.point(c))
                    .muli(std[c]);
        }
        return sum;
    }
}
