package io.purifier.defense.clp;

import io.purifier.engine.model.EngineModel;
import io.purifier.engine.nn.Network;
import io.purifier.engine.nn.Node;
import io.purifier.engine.nn.layers.BatchNorm;
import io.purifier.engine.nn.layers.ChannelScale;
import io.purifier.engine.nn.layers.Conv2d;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The convolution channels CLP judges, found in the model's graph: every convolution, together with the batch norm
 * that is its only consumer when there is one (the pair {@code Conv2d -> BatchNorm2d} of the reference code), and
 * the public layer whose output channels a mask can zero (the batch norm's, else the convolution's). Constant 0/1
 * channel masks already in the graph (from an earlier pruning) are looked through.
 */
final class ChannelUnits {

    private ChannelUnits() {
    }

    /**
     * One convolution's channels.
     *
     * @param conv      the convolution node (its weights {@code conv/W} are {@code [out, in, kH, kW]})
     * @param batchNorm the batch-norm node that directly follows it, or null
     * @param maskLayer the public layer after which the channel mask goes
     * @param channels  output channels
     */
    record Unit(String conv, String batchNorm, String maskLayer, int channels) {
    }

    /**
     * The units and the convolutions that cannot be masked.
     *
     * @param units    in forward order
     * @param unmasked convolutions whose output has no public layer name (nothing can be masked there)
     */
    record Found(List<Unit> units, List<String> unmasked) {
    }

    /** Every convolution of {@code model}, in forward order. */
    static Found of(EngineModel model) {
        synchronized (model) {
            Network net = model.network();
            Map<String, String> taps = net.taps();
            List<Unit> units = new ArrayList<>();
            List<String> unmasked = new ArrayList<>();
            for (Node n : net.nodes()) {
                if (!(n.layer() instanceof Conv2d conv)) {
                    continue;
                }
                String out = throughMasks(net, n.name());
                String bn = null;
                List<Node> consumers = net.consumers(out);
                if (consumers.size() == 1 && consumers.get(0).layer() instanceof BatchNorm) {
                    bn = consumers.get(0).name();
                    out = throughMasks(net, bn);
                }
                String layer = publicName(taps, out);
                if (layer == null) {
                    unmasked.add(n.name());
                } else {
                    units.add(new Unit(n.name(), bn, layer, conv.out()));
                }
            }
            return new Found(units, unmasked);
        }
    }

    /** Follows a chain of constant channel masks that are the only consumers of {@code node}. */
    private static String throughMasks(Network net, String node) {
        String out = node;
        while (true) {
            List<Node> consumers = net.consumers(out);
            if (consumers.size() == 1 && consumers.get(0).layer() instanceof ChannelScale s && !s.trainable()) {
                out = consumers.get(0).name();
            } else {
                return out;
            }
        }
    }

    private static String publicName(Map<String, String> taps, String node) {
        for (Map.Entry<String, String> t : taps.entrySet()) {
            if (t.getValue().equals(node)) {
                return t.getKey();
            }
        }
        return null;
    }
}
