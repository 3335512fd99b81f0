package io.purifier.defense.fp;

import io.purifier.api.data.ImageSet;
import io.purifier.engine.blocks.ChannelMask;
import io.purifier.engine.eval.Evaluator;
import io.purifier.engine.model.BnMode;
import io.purifier.engine.model.EngineModel;
import io.purifier.testkit.RecordingRunContext;
import io.purifier.testkit.TinyData;
import io.purifier.testkit.TinyModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ChannelPruningTest {

    private static EngineModel trained;
    private static ImageSet clean;

    @BeforeAll
    static void train() {
        trained = TinyModels.backdooredCnn(41, false);
        clean = TinyData.quadrants(42, 60, TinyModels.SIZE, TinyModels.CLASSES);
    }

    @Test
    void ranks_channels_by_their_mean_clean_activation_over_images_and_positions() {
        EngineModel work = trained.copy();
        ChannelPruning.Result r = ChannelPruning.run(work, "relu2", clean, params(Map.of("accRatio", 0.0)),
                RecordingRunContext.seeded(1));
        INDArray a = trained.activations(clean.images(), BnMode.EVAL, "relu2").get("relu2");   // [60, 8, 6, 6]
        double[] expected = new double[8];
        for (int c = 0; c < 8; c++) {
            double sum = 0;
            for (int i = 0; i < 60; i++) {
                for (int y = 0; y < 6; y++) {
                    for (int x = 0; x < 6; x++) {
                        sum += a.getDouble(i, c, y, x);
                    }
                }
            }
            expected[c] = sum / (60 * 36);
        }
        assertArrayEquals(expected, r.meanActivation(), 1e-6);
        assertArrayEquals(PruningOrder.ascending(expected), r.order());
        assertEquals(0, r.pruned(), "a tolerance of 0 prunes nothing");
        assertArrayEquals(new boolean[]{true, true, true, true, true, true, true, true}, ChannelMask.keep(work, "relu2"));
    }

    @Test
    void a_full_tolerance_prunes_all_but_one_step_and_the_mask_silences_exactly_the_least_active_channels() {
        EngineModel work = trained.copy();
        RecordingRunContext ctx = RecordingRunContext.seeded(1);
        ChannelPruning.Result r = ChannelPruning.run(work, "relu2", clean, params(Map.of("accRatio", 1.0, "oncePruneRatio", 0.25)), ctx);
        assertEquals(2, r.step(), "ceil(8 * 0.25)");
        assertArrayEquals(new double[]{0, 2, 4, 6}, ctx.xs("prune/defense data accuracy"), 0);
        assertEquals(6, r.pruned());
        boolean[] keep = ChannelMask.keep(work, "relu2");
        for (int i = 0; i < 8; i++) {
            assertEquals(i >= 6, keep[r.order()[i]], "channel " + r.order()[i] + " at rank " + i);
        }
        INDArray masked = work.activations(clean.images(), BnMode.EVAL, "relu2").get("relu2");
        for (int i = 0; i < 6; i++) {
            assertEquals(0.0, masked.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(r.order()[i])).sumNumber().doubleValue(), 0);
        }
        assertEquals(Evaluator.accuracy(work, clean), r.prunedAccuracy(), 1e-12);
        assertEquals(ctx.ys("prune/defense data accuracy")[0], r.unprunedAccuracy(), 0);
    }

    @Test
    void the_search_stops_at_the_first_count_outside_the_tolerance_and_keeps_the_one_before() {
        EngineModel work = trained.copy();
        RecordingRunContext ctx = RecordingRunContext.seeded(1);
        ChannelPruning.Result r = ChannelPruning.run(work, "relu2", clean, params(Map.of("accRatio", 0.1)), ctx);
        double[] counts = ctx.xs("prune/defense data accuracy");
        double[] accuracy = ctx.ys("prune/defense data accuracy");
        for (int i = 1; i < counts.length - 1; i++) {
            assertEquals(true, PruningOrder.withinTolerance(accuracy[i], accuracy[0], 0.1), "count " + counts[i]);
        }
        int last = counts.length - 1;
        if (counts[last] == r.pruned()) {
            assertEquals(7, r.pruned(), "only the last count may be kept without a count outside the tolerance");
        } else {
            assertEquals(false, PruningOrder.withinTolerance(accuracy[last], accuracy[0], 0.1));
            assertEquals(counts[last - 1], r.pruned(), 0);
        }
    }

    static FinePruningParams params(Map<String, ?> raw) {
        return FinePruningParams.from(FinePruningParams.DESCRIPTOR.resolve(raw));
    }
}
