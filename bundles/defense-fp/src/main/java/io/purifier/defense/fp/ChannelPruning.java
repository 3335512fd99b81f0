package io.purifier.defense.fp;

import io.purifier.api.data.ImageSet;
import io.purifier.api.run.RunContext;
import io.purifier.engine.blocks.Activations;
import io.purifier.engine.blocks.ChannelMask;
import io.purifier.engine.eval.Evaluator;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.run.ProbeCurves;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Locale;

/**
 * Step 1 of Fine-Pruning: rank the layer's channels by mean activation on the clean images (inference mode,
 * spatial and image mean), then mask more and more of the least active ones ({@link PruningOrder#counts}) with the
 * engine's {@link ChannelMask} while the clean accuracy on the defense data stays within the tolerance; the last
 * count within it is kept (the first count outside it ends the search). Channels an earlier mask already removed
 * stay removed.
 *
 * <p>Curves: {@code prune/defense data accuracy} per count tried (x = channels pruned) and, from the reporting
 * probe only, {@code prune test/<metric>} at the same x.</p>
 */
final class ChannelPruning {

    private ChannelPruning() {
    }

    /**
     * The outcome.
     *
     * @param layer            the pruned layer
     * @param channels         its channels
     * @param step             channels added per step
     * @param pruned           channels masked by this search (the kept count)
     * @param order            channel indices by increasing mean activation
     * @param meanActivation   mean clean activation per channel
     * @param unprunedAccuracy defense-data accuracy before pruning
     * @param prunedAccuracy   defense-data accuracy at the kept count
     */
    record Result(String layer, int channels, int step, int pruned, int[] order, double[] meanActivation,
                  double unprunedAccuracy, double prunedAccuracy) {
    }

    /**
     * Prunes {@code model} in place (it gets the mask of the kept count).
     *
     * @param model the model (a working copy)
     * @param layer the layer to prune
     * @param data  the labeled clean defense data
     * @param p     the parameters
     * @param ctx   progress, curves, probe, cancellation
     */
    static Result run(EngineModel model, String layer, ImageSet data, FinePruningParams p, RunContext ctx) {
        INDArray perImage = Activations.channelMeans(model, data.images(), layer);
        double[] mean = perImage.mean(0).toDoubleVector();
        int channels = mean.length;
        int[] order = PruningOrder.ascending(mean);
        int[] counts = PruningOrder.counts(channels, p.oncePruneRatio());
        boolean[] existing = ChannelMask.keep(model, layer);
        double unpruned = Double.NaN;
        double keptAccuracy = Double.NaN;
        int kept = 0;
        for (int i = 0; i < counts.length; i++) {
            ctx.checkCancelled();
            int count = counts[i];
            ChannelMask.apply(model, layer, PruningOrder.keepAfter(existing, order, count));
            double accuracy = Evaluator.accuracy(model, data);
            ctx.curve("prune/defense data accuracy", count, accuracy);
            ProbeCurves.record(model, ctx, "prune test/", count);
            ctx.progress((double) count / channels, "fp: pruned " + count + "/" + channels + " channels of " + layer);
            if (i == 0) {
                unpruned = accuracy;
                keptAccuracy = accuracy;
                continue;
            }
            if (!PruningOrder.withinTolerance(accuracy, unpruned, p.accRatio())) {
                ctx.log(String.format(Locale.ROOT, "fp: %d channels pruned change the clean accuracy from %.4f to %.4f "
                        + "(more than %.0f%% of it): keeping %d", count, unpruned, accuracy, 100 * p.accRatio(), kept));
                break;
            }
            kept = count;
            keptAccuracy = accuracy;
        }
        ChannelMask.apply(model, layer, PruningOrder.keepAfter(existing, order, kept));
        return new Result(layer, channels, PruningOrder.step(channels, p.oncePruneRatio()), kept, order, mean,
                unpruned, keptAccuracy);
    }
}
