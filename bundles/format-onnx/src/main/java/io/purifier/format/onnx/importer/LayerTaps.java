package io.purifier.format.onnx.importer;

import io.purifier.engine.model.EngineModel;
import io.purifier.engine.nn.Network;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Publishes an imported model's layer names: the names a Purifier export recorded, when every node they point at
 * exists; otherwise every public node under its own name, and each module path of the scoped ONNX names
 * ({@code layer4.1}, {@code layer4}) for the last node inside it, listed right after that node.
 */
final class LayerTaps {

    private LayerTaps() {
    }

    static void publish(EngineModel model, List<ImportContext.Published> published, Map<String, String> saved) {
        Network net = model.network();
        if (!saved.isEmpty() && saved.values().stream().allMatch(net::has)) {
            saved.forEach((layer, node) -> net.tap(layer, node, null));
            return;
        }
        Map<String, String> scopeLast = new LinkedHashMap<>();
        Map<String, Integer> depth = new LinkedHashMap<>();
        for (ImportContext.Published p : published) {
            net.tap(p.node(), p.node(), null);
            List<String> scopes = LayerNames.scopes(p.source().name());
            for (int i = 0; i < scopes.size(); i++) {
                scopeLast.remove(scopes.get(i));
                scopeLast.put(scopes.get(i), p.node());
                depth.put(scopes.get(i), i);
            }
        }
        List<String> order = new ArrayList<>(scopeLast.keySet());
        order.sort((a, b) -> Integer.compare(depth.get(b), depth.get(a)));
        for (String scope : order) {
            if (net.layers().contains(scope)) {
                continue;
            }
            String node = scopeLast.get(scope);
            String anchor = null;
            for (Map.Entry<String, String> t : net.taps().entrySet()) {
                if (t.getValue().equals(node)) {
                    anchor = t.getKey();
                }
            }
            net.tap(scope, node, anchor, false);
        }
    }
}
