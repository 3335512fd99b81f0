package io.purifier.defense.anp;

import io.purifier.api.data.ImageSet;
import io.purifier.api.run.RunContext;
import io.purifier.engine.blocks.NeuronScaling;
import io.purifier.engine.eval.Evaluator;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.run.ProbeCurves;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Step 2 of ANP: neurons sorted by mask value (smallest first; ties by layer, then channel) are pruned — their
 * weight part zeroed, {@link NeuronScaling#pruneWeight} — along a sweep of thresholds {@code 0, s, 2s, ... <=
 * pruningMax} (every neuron with a mask at most the threshold) or of numbers {@code 0, s, 2s, ... <= pruningMax}
 * (s rounded up); the clean accuracy on the defense data is measured at each point. The kept point is the most
 * pruned one whose accuracy differs from the unpruned model's by less than {@code accRatio} of it; BackdoorBench
 * chooses the point with the lowest <em>test</em> ASR among those, which a defender does not have.
 *
 * <p>Curves (x = threshold or number): {@code prune/defense data accuracy}, {@code prune/pruned neurons} and, from
 * the reporting probe only, {@code prune test/<metric>}.</p>
 */
final class PruningSweep {

    private PruningSweep() {
    }

    /**
     * One neuron and its mask.
     *
     * @param target the index of its layer among the targets
     * @param neuron its channel
     * @param mask   its mask value
     */
    record Neuron(int target, int neuron, double mask) {
    }

    /**
     * One sweep point.
     *
     * @param x        the threshold or number
     * @param pruned   neurons pruned at this point
     * @param accuracy clean accuracy on the defense data
     */
    record Point(double x, int pruned, double accuracy) {
    }

    /**
     * The outcome.
     *
     * @param order            neurons by increasing mask
     * @param points           every sweep point
     * @param unprunedAccuracy the unpruned model's clean accuracy on the defense data
     * @param kept             the kept point, or null when none is within the tolerance
     */
    record Result(List<Neuron> order, List<Point> points, double unprunedAccuracy, Point kept) {

        /** Neurons pruned at the kept point (0 when none is kept). */
        int prunedNeurons() {
            return kept == null ? 0 : kept.pruned();
        }
    }

    /** Neurons sorted by mask, then layer, then channel. */
    static List<Neuron> order(double[][] mask) {
        List<Neuron> out = new ArrayList<>();
        for (int i = 0; i < mask.length; i++) {
            for (int k = 0; k < mask[i].length; k++) {
                out.add(new Neuron(i, k, mask[i][k]));
            }
        }
        out.sort(Comparator.comparingDouble(Neuron::mask).thenComparingInt(Neuron::target).thenComparingInt(Neuron::neuron));
        return out;
    }

    /** The sweep's x values: {@code i * step} up to {@code max} (as NumPy's {@code arange(0, max + step, step)}). */
    static List<Double> thresholds(double max, double step) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i * step < max + step - 1e-9; i++) {
            out.add(i * step);
        }
        return out;
    }

    /** The numbers of neurons: {@code 0, s, 2s, ... <= ceil(max)} with {@code s = ceil(step)}. */
    static List<Double> numbers(double max, double step) {
        int s = Math.max(1, (int) Math.ceil(step - 1e-9));
        int top = (int) Math.ceil(max - 1e-9);
        List<Double> out = new ArrayList<>();
        for (int k = 0; k <= top; k += s) {
            out.add((double) k);
        }
        return out;
    }

    /** How many neurons of {@code order} a sweep point prunes. */
    static int prunedAt(List<Neuron> order, AnpParams.PruningBy by, double x) {
        if (by == AnpParams.PruningBy.NUMBER) {
            return Math.min(order.size(), (int) Math.round(x));
        }
        int n = 0;
        while (n < order.size() && order.get(n).mask() <= x) {
            n++;
        }
        return n;
    }

    /**
     * Runs the sweep on a copy of {@code model}.
     *
     * @param model   the input model (not modified)
     * @param targets the neuron layers the masks belong to
     * @param mask    the learnt masks
     * @param data    the clean labeled images
     * @param p       the parameters
     * @param ctx     progress, curves, probe, cancellation
     */
    static Result run(EngineModel model, List<NeuronScaling.Target> targets, double[][] mask, ImageSet data, AnpParams p,
                      RunContext ctx) {
        List<Neuron> order = order(mask);
        double unpruned = Evaluator.accuracy(model, data);
        List<Double> xs = p.pruningBy() == AnpParams.PruningBy.NUMBER
                ? numbers(p.pruningMax(), p.pruningStep()) : thresholds(p.pruningMax(), p.pruningStep());
        EngineModel work = model.copy();
        List<Point> points = new ArrayList<>();
        Point kept = null;
        int done = 0;
        for (int i = 0; i < xs.size(); i++) {
            ctx.checkCancelled();
            double x = xs.get(i);
            int target = prunedAt(order, p.pruningBy(), x);
            for (; done < target; done++) {
                Neuron n = order.get(done);
                NeuronScaling.pruneWeight(work, targets.get(n.target()), n.neuron());
            }
            double accuracy = Evaluator.accuracy(work, data);
            Point point = new Point(x, done, accuracy);
            points.add(point);
            ctx.curve("prune/defense data accuracy", x, accuracy);
            ctx.curve("prune/pruned neurons", x, done);
            ProbeCurves.record(work, ctx, "prune test/", x);
            ctx.progress((double) (i + 1) / xs.size(), "anp pruning sweep " + (i + 1) + "/" + xs.size());
            if (withinTolerance(accuracy, unpruned, p.accRatio())) {
                kept = point;
            }
        }
        work.releaseMemory(); // the sweep's copy is dropped here: free its pooled activations now
        return new Result(order, points, unpruned, kept);
    }

    /** {@code |accuracy - unpruned| / unpruned < ratio} (an unpruned accuracy of 0 tolerates nothing). */
    static boolean withinTolerance(double accuracy, double unpruned, double ratio) {
        return unpruned > 0 && Math.abs(accuracy - unpruned) / unpruned < ratio;
    }

    /** A copy of {@code model} with the first {@code count} neurons of {@code order} pruned. */
    static EngineModel pruned(EngineModel model, List<NeuronScaling.Target> targets, List<Neuron> order, int count) {
        EngineModel out = model.copy();
        for (int i = 0; i < count; i++) {
            Neuron n = order.get(i);
            NeuronScaling.pruneWeight(out, targets.get(n.target()), n.neuron());
        }
        return out;
    }
}
