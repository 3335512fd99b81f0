package io.purifier.defense.anp;

import io.purifier.api.data.ImageSet;
import io.purifier.engine.blocks.NeuronScaling;
import io.purifier.engine.eval.Evaluator;
import io.purifier.engine.model.EngineModel;
import io.purifier.testkit.RecordingRunContext;
import io.purifier.testkit.TinyData;
import io.purifier.testkit.TinyModels;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PruningSweepTest {

    @Test
    void thresholds_follow_numpy_arange_up_to_the_maximum_and_numbers_are_rounded_up() {
        List<Double> t = PruningSweep.thresholds(0.90, 0.05);
        assertEquals(19, t.size());
        assertEquals(0.0, t.get(0), 0);
        assertEquals(0.90, t.get(18), 1e-12);
        assertEquals(List.of(0.0, 0.2), PruningSweep.thresholds(0.2, 0.2));
        assertEquals(List.of(0.0, 3.0, 6.0, 9.0), PruningSweep.numbers(10, 3));
        assertEquals(List.of(0.0, 1.0), PruningSweep.numbers(0.9, 0.05), "BackdoorBench's defaults read as numbers");
    }

    @Test
    void neurons_are_ordered_by_mask_then_layer_then_channel_and_thresholds_include_equal_masks() {
        double[][] mask = {{0.5, 0.0, 0.2}, {0.2, 1.0}};
        List<PruningSweep.Neuron> order = PruningSweep.order(mask);
        assertEquals(List.of(new PruningSweep.Neuron(0, 1, 0.0), new PruningSweep.Neuron(0, 2, 0.2),
                new PruningSweep.Neuron(1, 0, 0.2), new PruningSweep.Neuron(0, 0, 0.5), new PruningSweep.Neuron(1, 1, 1.0)), order);
        assertEquals(1, PruningSweep.prunedAt(order, AnpParams.PruningBy.THRESHOLD, 0.0));
        assertEquals(3, PruningSweep.prunedAt(order, AnpParams.PruningBy.THRESHOLD, 0.2));
        assertEquals(5, PruningSweep.prunedAt(order, AnpParams.PruningBy.THRESHOLD, 1.0));
        assertEquals(4, PruningSweep.prunedAt(order, AnpParams.PruningBy.NUMBER, 4));
        assertEquals(5, PruningSweep.prunedAt(order, AnpParams.PruningBy.NUMBER, 9));
    }

    @Test
    void tolerance_is_relative_to_the_unpruned_accuracy() {
        assertTrue(PruningSweep.withinTolerance(0.82, 0.9, 0.1));
        assertFalse(PruningSweep.withinTolerance(0.80, 0.9, 0.1));
        assertFalse(PruningSweep.withinTolerance(0.5, 0.0, 0.1));
    }

    @Test
    void sweeps_the_model_and_keeps_the_most_pruned_point_within_the_tolerance() {
        EngineModel model = TinyModels.backdooredCnn(71, false);
        ImageSet clean = TinyData.quadrants(72, 60, TinyModels.SIZE, TinyModels.CLASSES);
        List<NeuronScaling.Target> targets = NeuronScaling.convolutionTargets(model);
        double[][] mask = {{1, 0.1, 1, 1}, {1, 1, 1, 0.0, 1, 1, 1, 1}};
        AnpParams p = AnpParams.from(AnpParams.DESCRIPTOR.resolve(Map.of("pruningMax", 0.2, "pruningStep", 0.1, "accRatio", 1.0)));
        RecordingRunContext ctx = RecordingRunContext.withProbe(1, m -> Map.of("C-ACC", Evaluator.accuracy(m, clean)));

        PruningSweep.Result r = PruningSweep.run(model, targets, mask, clean, p, ctx);

        assertArrayEquals(new double[]{0, 0.1, 0.2}, ctx.xs("prune/pruned neurons"), 1e-12);
        assertArrayEquals(new double[]{1, 2, 2}, ctx.ys("prune/pruned neurons"), 0);
        assertArrayEquals(new double[]{0, 0.1, 0.2}, ctx.xs("prune test/C-ACC"), 1e-12);
        assertEquals(Evaluator.accuracy(model, clean), r.unprunedAccuracy(), 0);
        assertEquals(0.2, r.kept().x(), 1e-12, "the last point within a tolerance of 100%");
        assertEquals(2, r.prunedNeurons());
        EngineModel pruned = PruningSweep.pruned(model, targets, r.order(), r.prunedNeurons());
        assertEquals(0.0, pruned.array("conv2/W").get(NDArrayIndex.point(3)).amaxNumber().doubleValue(), 0);
        assertEquals(0.0, pruned.array("conv1/W").get(NDArrayIndex.point(1)).amaxNumber().doubleValue(), 0);
        assertEquals(model.array("conv2/b"), pruned.array("conv2/b"), "biases stay");
        assertEquals(model.array("conv1/W").get(NDArrayIndex.point(0)), pruned.array("conv1/W").get(NDArrayIndex.point(0)));
        assertEquals(Evaluator.accuracy(pruned, clean), r.kept().accuracy(), 0);
        assertTrue(model.array("conv2/W").get(NDArrayIndex.point(3)).amaxNumber().doubleValue() > 0, "input untouched");

        AnpParams strict = AnpParams.from(AnpParams.DESCRIPTOR.resolve(Map.of("pruningMax", 0.2, "pruningStep", 0.1, "accRatio", 0.0)));
        assertNull(PruningSweep.run(model, targets, mask, clean, strict, RecordingRunContext.seeded(1)).kept());
    }
}
