package io.purifier.defense.clp;

import io.purifier.api.InvalidInputException;
import io.purifier.api.defense.DefenseResult;
import io.purifier.api.run.RunContext;
import io.purifier.engine.blocks.ChannelMask;
import io.purifier.engine.model.EngineModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CLP on an engine model, without data: the UCLC of every convolution channel, the reporting sweep over thresholds,
 * then the pruned copy. Pruning multiplies the channel by a constant 0 ({@link ChannelMask} after the batch norm, or
 * after the convolution when no batch norm follows it), which is what zeroing the batch norm's weight and bias does
 * in the reference code, and keeps any channel an earlier mask already removed removed.
 */
final class ClpPruner {

    private ClpPruner() {
    }

    /** One unit's bounds. */
    record Layer(ChannelUnits.Unit unit, double[] lipschitz) {

        boolean[] pruned(double u) {
            return ChannelLipschitz.outliers(lipschitz, u);
        }
    }

    /**
     * Prunes a copy of {@code model} (which is not modified).
     *
     * @throws InvalidInputException when the model has no convolution whose channels can be masked
     */
    static DefenseResult purify(EngineModel model, ClpParams p, RunContext ctx) {
        long started = System.nanoTime();
        ChannelUnits.Found found = ChannelUnits.of(model);
        if (!found.unmasked().isEmpty()) {
            ctx.warn("clp: convolutions without a public output layer are left alone: " + found.unmasked());
        }
        if (found.units().isEmpty()) {
            throw new InvalidInputException("clp prunes convolution channels, but model '" + model.architectureId()
                    + "' has no convolution whose output channels can be masked (layers: "
                    + String.join(", ", model.layerNames()) + ")");
        }
        List<Layer> layers = new ArrayList<>();
        for (ChannelUnits.Unit unit : found.units()) {
            ctx.checkCancelled();
            Layer layer = new Layer(unit, ChannelLipschitz.of(model, unit));
            layers.add(layer);
            log(layer, p.u(), ctx);
            ctx.progress(0.2 * layers.size() / found.units().size(), "channel Lipschitz bounds of " + unit.conv());
        }
        sweep(model, layers, p, ctx);

        EngineModel pruned = model.copy();
        int total = prune(pruned, layers, p.u());
        pruned.setProperty("clp", String.format(Locale.ROOT, "u %.4g: %d channels pruned", p.u(), total));
        ctx.progress(1, "done");
        return new DefenseResult(pruned, summary(layers, p, total, started));
    }

    /** Applies the masks for threshold {@code u}; returns the number of channels pruned. */
    static int prune(EngineModel model, List<Layer> layers, double u) {
        int total = 0;
        for (Layer layer : layers) {
            boolean[] cut = layer.pruned(u);
            int count = count(cut);
            if (count == 0) {
                continue;
            }
            boolean[] keep = ChannelMask.keep(model, layer.unit().maskLayer());
            for (int k = 0; k < keep.length; k++) {
                keep[k] &= !cut[k];
            }
            ChannelMask.apply(model, layer.unit().maskLayer(), keep);
            total += count;
        }
        return total;
    }

    /**
     * For each threshold of the sweep: the number of channels it prunes (curve {@code pruned channels/by u}) and,
     * when the run has a reporting probe, the test metrics of the pruned copy ({@code test by u/<metric>},
     * reporting only: the result always uses {@code u}).
     */
    private static void sweep(EngineModel model, List<Layer> layers, ClpParams p, RunContext ctx) {
        double[] us = p.sweep();
        for (int i = 0; i < us.length; i++) {
            ctx.checkCancelled();
            double u = us[i];
            int count = 0;
            for (Layer layer : layers) {
                count += count(layer.pruned(u));
            }
            ctx.curve("pruned channels/by u", u, count);
            double x = u;
            ctx.reportingProbe().ifPresent(probe -> {
                EngineModel copy = model.copy();
                try {
                    prune(copy, layers, x);
                    probe.evaluate(copy).forEach((name, value) -> {
                        if (value != null && Double.isFinite(value)) {
                            ctx.curve("test by u/" + name, x, value);
                        }
                    });
                } finally {
                    // each sweep point's copy pools its own activations; freed now, not at a garbage collection
                    // that a data-free defense may not trigger for a long time (5 GB for the small CNN's sweep)
                    copy.releaseMemory();
                }
            });
            ctx.progress(0.2 + 0.75 * (i + 1) / us.length, String.format(Locale.ROOT, "threshold sweep, u = %.3g", u));
        }
    }

    private static void log(Layer layer, double u, RunContext ctx) {
        double[] l = layer.lipschitz();
        boolean[] cut = layer.pruned(u);
        List<Integer> idx = new ArrayList<>();
        for (int k = 0; k < cut.length; k++) {
            if (cut[k]) {
                idx.add(k);
            }
        }
        ChannelUnits.Unit unit = layer.unit();
        String threshold = l.length < 2 ? "none (one channel)"
                : String.format(Locale.ROOT, "%.4g", ChannelLipschitz.threshold(l, u));
        ctx.log(String.format(Locale.ROOT, "clp: %s%s (mask after %s): %d channels, UCLC max %.4g, mean %.4g, "
                        + "threshold %s, pruned %s", unit.conv(), unit.batchNorm() == null ? "" : " + " + unit.batchNorm(),
                unit.maskLayer(), l.length, Arrays.stream(l).max().orElse(0), Arrays.stream(l).average().orElse(0),
                threshold, idx));
    }

    private static Map<String, Object> summary(List<Layer> layers, ClpParams p, int total, long started) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("u", p.u());
        s.put("convolutions", layers.size());
        int channels = 0;
        int prunedLayers = 0;
        for (Layer layer : layers) {
            channels += layer.lipschitz().length;
            int count = count(layer.pruned(p.u()));
            if (count > 0) {
                prunedLayers++;
                s.put("pruned." + layer.unit().maskLayer(), count);
            }
        }
        s.put("channels", channels);
        s.put("prunedChannels", total);
        s.put("prunedLayers", prunedLayers);
        s.put("seconds", (System.nanoTime() - started) / 1e9);
        return s;
    }

    private static int count(boolean[] b) {
        int n = 0;
        for (boolean v : b) {
            n += v ? 1 : 0;
        }
        return n;
    }
}
