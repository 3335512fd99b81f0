package io.purifier.defense.clp;

import io.purifier.engine.model.EngineModel;
import io.purifier.engine.nn.layers.BatchNorm;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * The upper bound of the channel Lipschitz constant (UCLC) of every output channel of one {@link ChannelUnits.Unit}:
 * the largest singular value of the channel's kernel reshaped to {@code [in, kH*kW]}, times the batch norm's
 * {@code |gamma / sqrt(runningVar + eps)|} when a batch norm follows the convolution. The convolution bias and the
 * batch norm's shift move the output but do not change how fast it can change with the input, so they do not
 * enter the bound.
 */
final class ChannelLipschitz {

    private ChannelLipschitz() {
    }

    /** UCLC per output channel of {@code unit}. */
    static double[] of(EngineModel model, ChannelUnits.Unit unit) {
        INDArray w = model.array(unit.conv() + "/W");
        long[] s = w.shape();
        int out = (int) s[0];
        int in = (int) s[1];
        int taps = (int) (s[2] * s[3]);
        double[] v = w.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] scale = batchNormScale(model, unit, out);
        double[] lips = new double[out];
        for (int k = 0; k < out; k++) {
            double[][] m = new double[in][taps];
            for (int i = 0; i < in; i++) {
                System.arraycopy(v, (k * in + i) * taps, m[i], 0, taps);
            }
            lips[k] = SpectralNorm.largestSingularValue(m) * scale[k];
        }
        return lips;
    }

    private static double[] batchNormScale(EngineModel model, ChannelUnits.Unit unit, int channels) {
        double[] scale = new double[channels];
        if (unit.batchNorm() == null) {
            Arrays.fill(scale, 1.0);
            return scale;
        }
        double eps = ((BatchNorm) model.network().node(unit.batchNorm()).layer()).eps();
        double[] gamma = model.array(unit.batchNorm() + "/gamma").castTo(DataType.DOUBLE).toDoubleVector();
        double[] var = model.array(unit.batchNorm() + "/var").castTo(DataType.DOUBLE).toDoubleVector();
        for (int k = 0; k < channels; k++) {
            scale[k] = Math.abs(gamma[k] / Math.sqrt(var[k] + eps));
        }
        return scale;
    }

    /**
     * The channels whose UCLC is above {@code mean + u * std} of their layer (standard deviation with Bessel's
     * correction, as {@code torch.std}); none in a layer of fewer than two channels.
     */
    static boolean[] outliers(double[] lips, double u) {
        boolean[] out = new boolean[lips.length];
        if (lips.length < 2) {
            return out;
        }
        double threshold = threshold(lips, u);
        for (int k = 0; k < lips.length; k++) {
            out[k] = lips[k] > threshold;
        }
        return out;
    }

    /** {@code mean + u * std} of {@code lips} (at least two values). */
    static double threshold(double[] lips, double u) {
        double mean = 0;
        for (double l : lips) {
            mean += l;
        }
        mean /= lips.length;
        double ss = 0;
        for (double l : lips) {
            ss += (l - mean) * (l - mean);
        }
        return mean + u * Math.sqrt(ss / (lips.length - 1));
    }
}
