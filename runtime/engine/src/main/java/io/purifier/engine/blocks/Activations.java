package io.purifier.engine.blocks;

import io.purifier.engine.model.BnMode;
import io.purifier.engine.model.EngineModel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.List;

/** Activations at a named layer, computed in inference mode in batches. */
public final class Activations {

    /** Images per batch. */
    public static final int BATCH = 256;

    private Activations() {
    }

    /** The full output of {@code layer} for every image ({@code [N, ...]}). */
    public static INDArray of(EngineModel model, INDArray images, String layer) {
        return collect(model, images, layer, false);
    }

    /**
     * Per-image, per-channel activations {@code [N, C]}: the spatial mean of a 4-D output, or the output itself when
     * it is already {@code [N, C]}.
     */
    public static INDArray channelMeans(EngineModel model, INDArray images, String layer) {
        return collect(model, images, layer, true);
    }

    private static INDArray collect(EngineModel model, INDArray images, String layer, boolean channelMeans) {
        long n = images.size(0);
        List<INDArray> parts = new ArrayList<>();
        for (long start = 0; start < n; start += BATCH) {
            INDArray batch = images.get(NDArrayIndex.interval(start, Math.min(n, start + BATCH)));
            INDArray a = model.activations(batch, BnMode.EVAL, layer).get(layer);
            if (channelMeans && a.rank() == 4) {
                INDArray full = a;
                a = full.mean(2, 3);
                full.close(); // off the Java heap: freed now, not at some later garbage collection
            } else if (channelMeans) {
                a = a.reshape(a.size(0), a.length() / a.size(0));
            }
            parts.add(a);
        }
        return parts.size() == 1 ? parts.get(0) : Nd4j.concat(0, parts.toArray(INDArray[]::new));
    }
}
