package io.purifier.defense.npd;

import io.purifier.api.data.ImageSet;
import io.purifier.engine.model.BnMode;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.model.GraphBuilder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;


/**
 * The {@code identity} batch-norm start of the polarizer (not in the reference): the batch norm's scale, shift and
 * running statistics are set from the per-channel mean and variance of the polarized features on the defense
 * data, so that the freshly inserted polarizer is the identity in inference mode and, up to batch-to-batch
 * variation, in training mode too. With PyTorch's default start (scale 1, shift 0) the warm-up standardizes the
 * features instead, which costs clean accuracy in models whose features are not already normalized there.
 */
final class PolarizerStatistics {

    private PolarizerStatistics() {
    }

    /**
     * Sets the polarizer's batch norm of {@code model} to the identity on {@code data} (the 1x1 convolution must
     * still be the identity).
     *
     * @return the per-channel variance that was measured
     */
    static INDArray startAsIdentity(EngineModel model, Polarizer np, ImageSet data, int batchSize) {
        INDArray sum = null;
        INDArray squares = null;
        long count = 0;
        INDArray images = data.images();
        for (long start = 0; start < data.size(); start += batchSize) {
            INDArray batch = images.get(NDArrayIndex.interval(start, Math.min(data.size(), start + batchSize)));
            INDArray features = model.activations(batch, BnMode.EVAL, np.convLayer()).get(np.convLayer());
            INDArray f = features.castTo(DataType.DOUBLE);
            INDArray squared = f.mul(f);
            INDArray s = f.sum(0, 2, 3);
            INDArray q = squared.sum(0, 2, 3);
            // activation-sized and off the Java heap: freed now rather than at some later garbage collection
            squared.close();
            if (f != features) {
                f.close();
            }
            features.close();
            sum = sum == null ? s : sum.addi(s);
            squares = squares == null ? q : squares.addi(q);
            count += f.size(0) * f.size(2) * f.size(3);
        }
        INDArray mean = sum.div(count);
        INDArray variance = squares.div(count).subi(mean.mul(mean));
        variance = Transforms.max(variance, 0.0, false);
        DataType type = model.array(np.batchNorm().gamma()).dataType();
        model.array(np.batchNorm().runningMean()).assign(mean.castTo(type));
        model.array(np.batchNorm().runningVar()).assign(variance.castTo(type));
        model.array(np.batchNorm().beta()).assign(mean.castTo(type));
        model.array(np.batchNorm().gamma()).assign(Transforms.sqrt(
                variance.add(GraphBuilder.BN_EPS), true).castTo(type));
        return variance;
    }
}
