package io.purifier.format.onnx.importer;

import io.purifier.engine.model.GraphNames;
import io.purifier.format.onnx.proto.OnnxNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names engine nodes after the ONNX graph, so that an imported PyTorch model keeps its module names as layer names
 * ({@code layer4.1.conv1}):
 * <ol>
 *   <li>a node with a weight named like a module parameter ({@code layer4.1.conv1.weight}) takes the module name;</li>
 *   <li>a scoped node name as {@code torch.onnx.export} writes them ({@code /layer4/layer4.1/conv1/Conv}) gives
 *       the module path ({@code layer4.1.conv1}); when several nodes share a module (a block's functional ReLUs
 *       and its addition) each gets the path plus its operator ({@code layer4.1.relu_1}, {@code layer4.1.add});</li>
 *   <li>otherwise the node's own name (with {@code /} turned into {@code .}), or its operator in lower case.</li>
 * </ol>
 * Names are made unique with {@code _2}, {@code _3}, ... The module paths of scoped names ({@code layer4.1},
 * {@code layer4}) are reported by {@link #scopes} so that the importer can publish them for the block's last node.
 */
final class LayerNames {

    private static final Pattern PARAMETER = Pattern.compile(
            "^([A-Za-z_][A-Za-z0-9_.]*)\\.(weight|bias|running_mean|running_var|W|B|kernel)$");

    private final Set<String> used = new HashSet<>(List.of(GraphNames.INPUT, GraphNames.NORMALIZE));
    private final Map<String, Integer> nodesPerScope = new HashMap<>();

    /** Counts the nodes of every module path in the graph (first pass). */
    LayerNames(List<OnnxNode> nodes) {
        for (OnnxNode n : nodes) {
            if (!n.opType().equals("Constant")) {
                List<String> s = scopes(n.name());
                if (!s.isEmpty()) {
                    nodesPerScope.merge(s.get(s.size() - 1), 1, Integer::sum);
                }
            }
        }
    }

    /**
     * The engine name of {@code node}'s main engine node.
     *
     * @param weight the name of the node's weight initializer, or null
     */
    String name(OnnxNode node, String weight) {
        if (weight != null) {
            Matcher m = PARAMETER.matcher(weight);
            if (m.matches() && !used.contains(m.group(1))) {
                return unique(m.group(1));
            }
        }
        List<String> s = scopes(node.name());
        if (!s.isEmpty()) {
            String path = s.get(s.size() - 1);
            return unique(nodesPerScope.getOrDefault(path, 0) == 1 ? path : path + "." + operator(node.name()));
        }
        if (node.name().contains("/")) {
            return unique(operator(node.name()));
        }
        String plain = sanitize(node.name());
        return unique(plain.isEmpty() ? node.opType().toLowerCase(Locale.ROOT) : plain);
    }

    /** A unique helper node name from an ONNX value name ({@code fallback} when nothing usable is left of it). */
    String helper(String valueName, String fallback) {
        String s = sanitize(valueName);
        return unique(s.isEmpty() ? fallback : s);
    }

    /** A unique name derived from {@code base} (a helper node). */
    String unique(String base) {
        String name = base;
        for (int i = 2; used.contains(name); i++) {
            name = base + "_" + i;
        }
        used.add(name);
        return name;
    }

    /**
     * The module paths a scoped node name lies in, outermost first: {@code /layer4/layer4.1/conv1/Conv} gives
     * {@code [layer4, layer4.1, layer4.1.conv1]} and {@code /layer2/layer2.0/shortcut/shortcut.0/Conv} ends in
     * {@code layer2.0.shortcut.0} (torch scopes a container's child with the container's name); a name without scopes
     * gives an empty list.
     */
    static List<String> scopes(String nodeName) {
        List<String> out = new ArrayList<>();
        String[] parts = nodeName.split("/");
        String parent = "";
        String last = null;
        for (int i = 0; i < parts.length - 1; i++) {
            String p = sanitize(parts[i]);
            if (p.isEmpty()) {
                continue;
            }
            if (last != null && p.startsWith(last + ".")) {
                // a container's child is scoped with the container's name: layer2 -> layer2.0, shortcut -> shortcut.0
                last = p;
            } else {
                parent = out.isEmpty() ? "" : out.get(out.size() - 1) + ".";
                last = p;
            }
            out.add(parent + last);
        }
        return out;
    }

    /** The operator part of a scoped name in lower case: {@code /layer4/layer4.1/Relu_1} gives {@code relu_1}. */
    private static String operator(String nodeName) {
        String last = nodeName.substring(nodeName.lastIndexOf('/') + 1);
        String s = sanitize(last).toLowerCase(Locale.ROOT);
        return s.isEmpty() ? "node" : s;
    }

    private static String sanitize(String s) {
        String t = s.trim().replaceAll("[/\\s:]+", ".").replaceAll("\\.{2,}", ".");
        while (t.startsWith(".")) {
            t = t.substring(1);
        }
        while (t.endsWith(".")) {
            t = t.substring(0, t.length() - 1);
        }
        return t;
    }
}
