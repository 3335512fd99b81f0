package io.purifier.engine.nn;

import io.purifier.api.InvalidInputException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's computation as a directed acyclic graph of {@link Node}s in topological order: the first node is the
 * input (pixels in [0, 1]), {@link #output()} produces the logits. Public <em>layers</em> are names that point at
 * nodes ("taps"): the names defenses use for inspection and insertion points, in forward order. Several layer names
 * may point at one node (a PreAct stage and its last block), and helper nodes (reshapes, activations inside a block)
 * need not be public layers.
 *
 * <p>Edits keep the order topological: {@link #insertAfter} places new nodes right after the node they read,
 * {@link #insertBefore} right before the one consumer that reads them.</p>
 */
public final class Network {

    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Node> byName = new HashMap<>();
    private final LinkedHashMap<String, String> taps = new LinkedHashMap<>();
    private String output;

    /** Appends a node (its inputs must exist already). */
    public void add(Node node) {
        checkNew(node);
        nodes.add(node);
        byName.put(node.name(), node);
    }

    /** Makes {@code node} the logits. */
    public void setOutput(String node) {
        node(node);
        output = node;
    }

    /** The node producing the logits. */
    public String output() {
        return output;
    }

    /** The input node (the first). */
    public Node input() {
        return nodes.get(0);
    }

    /** The nodes in topological order. */
    public List<Node> nodes() {
        return List.copyOf(nodes);
    }

    /** Whether a node of this name exists. */
    public boolean has(String node) {
        return byName.containsKey(node);
    }

    /** The node. @throws InvalidInputException naming an unknown node */
    public Node node(String name) {
        Node n = byName.get(name);
        if (n == null) {
            throw new InvalidInputException("the network has no node named '" + name + "'");
        }
        return n;
    }

    /** Position of a node in the topological order. */
    public int indexOf(String node) {
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).name().equals(node)) {
                return i;
            }
        }
        throw new InvalidInputException("the network has no node named '" + node + "'");
    }

    /** The nodes that read {@code node}'s output. */
    public List<Node> consumers(String node) {
        List<Node> out = new ArrayList<>();
        for (Node n : nodes) {
            if (n.inputs().contains(node)) {
                out.add(n);
            }
        }
        return out;
    }

    /**
     * The output shape of every node for input images of shape {@code input}, computed from the layers' shape rules
     * (nothing is executed).
     *
     * @throws io.purifier.api.InvalidInputException when a layer does not fit its inputs
     */
    public Map<String, long[]> shapes(long[] input) {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (Node n : nodes) {
            List<long[]> in = new ArrayList<>();
            if (n == nodes.get(0)) {
                in.add(input);
            }
            for (String i : n.inputs()) {
                in.add(out.get(i));
            }
            out.put(n.name(), n.layer().outputShape(in));
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------- public layers

    /** Publishes {@code layer} as a name for {@code node}, appended to the layer order (or after {@code after}). */
    public void tap(String layer, String node, String after) {
        tap(layer, node, after, false);
    }

    /**
     * Publishes {@code layer} as a name for {@code node}, placed next to the public layer {@code anchor} (before it
     * when {@code before}, else after it), or at the end when {@code anchor} is null.
     */
    public void tap(String layer, String node, String anchor, boolean before) {
        node(node);
        if (taps.containsKey(layer)) {
            throw new InvalidInputException("the model already has a layer named '" + layer + "'");
        }
        if (anchor == null) {
            taps.put(layer, node);
            return;
        }
        if (!taps.containsKey(anchor)) {
            throw new InvalidInputException("no layer named '" + anchor + "'");
        }
        LinkedHashMap<String, String> copy = new LinkedHashMap<>(taps);
        taps.clear();
        copy.forEach((k, v) -> {
            if (before && k.equals(anchor)) {
                taps.put(layer, node);
            }
            taps.put(k, v);
            if (!before && k.equals(anchor)) {
                taps.put(layer, node);
            }
        });
    }

    /** Points an existing public layer at another node. */
    public void retap(String layer, String node) {
        layerNode(layer);
        node(node);
        taps.put(layer, node);
    }

    /** The public layer names in forward order. */
    public List<String> layers() {
        return List.copyOf(taps.keySet());
    }

    /** The node a public layer names. @throws InvalidInputException naming the layer and the known layers */
    public String layerNode(String layer) {
        String n = taps.get(layer);
        if (n == null) {
            throw new InvalidInputException("model has no layer named '" + layer + "' (layers: "
                    + String.join(", ", taps.keySet()) + ")");
        }
        return n;
    }

    /** Layer name → node, in forward order. */
    public Map<String, String> taps() {
        return new LinkedHashMap<>(taps);
    }

    // --------------------------------------------------------------------------------------------- surgery

    /**
     * Inserts a chain after {@code node}: every node that read {@code node} (and the output and the layer names
     * that pointed at it, when {@code retap}) now reads {@code chainOutput}. The chain's nodes must read
     * {@code node} or each other.
     */
    public void insertAfter(String node, List<Node> chain, String chainOutput, boolean retap) {
        node(node);
        List<Node> consumers = consumers(node);
        int at = indexOf(node) + 1;
        insertChain(at, chain, chainOutput);
        for (Node c : consumers) {
            if (chain.contains(c)) {
                continue;
            }
            replaceInput(c, node, chainOutput);
        }
        if (node.equals(output)) {
            output = chainOutput;
        }
        if (retap) {
            taps.replaceAll((k, v) -> v.equals(node) ? chainOutput : v);
        }
    }

    /**
     * Inserts a chain on the {@code index}-th input of {@code consumer} only: the chain reads what that input read,
     * and {@code consumer} reads {@code chainOutput} instead.
     */
    public void insertBefore(String consumer, int index, List<Node> chain, String chainOutput) {
        Node c = node(consumer);
        if (index < 0 || index >= c.inputs().size()) {
            throw new InvalidInputException("node '" + consumer + "' has no input " + index);
        }
        insertChain(indexOf(consumer), chain, chainOutput);
        List<String> inputs = new ArrayList<>(c.inputs());
        inputs.set(index, chainOutput);
        replace(c, new Node(c.name(), c.layer(), inputs));
    }

    /** Replaces a node's layer (same name and inputs), for example to change its attributes. */
    public void replaceLayer(String node, Layer layer) {
        Node old = node(node);
        replace(old, new Node(old.name(), layer, old.inputs()));
    }

    private void insertChain(int at, List<Node> chain, String chainOutput) {
        boolean found = false;
        for (Node n : chain) {
            checkNew(n);
            found |= n.name().equals(chainOutput);
        }
        if (!found) {
            throw new IllegalArgumentException("the chain has no node named '" + chainOutput + "'");
        }
        nodes.addAll(at, chain);
        for (Node n : chain) {
            byName.put(n.name(), n);
        }
        validate();
    }

    private void replaceInput(Node consumer, String from, String to) {
        List<String> inputs = new ArrayList<>(consumer.inputs());
        inputs.replaceAll(s -> s.equals(from) ? to : s);
        replace(consumer, new Node(consumer.name(), consumer.layer(), inputs));
    }

    private void replace(Node old, Node updated) {
        nodes.set(nodes.indexOf(old), updated);
        byName.put(updated.name(), updated);
    }

    private void checkNew(Node node) {
        if (byName.containsKey(node.name())) {
            throw new InvalidInputException("the model already has a node named '" + node.name() + "'");
        }
    }

    /**
     * Checks that every node reads only nodes before it and that the output is set.
     *
     * @throws IllegalStateException naming the first node that breaks the order
     */
    public void validate() {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Node n : nodes) {
            for (String in : n.inputs()) {
                if (!seen.contains(in)) {
                    throw new IllegalStateException("node '" + n.name() + "' reads '" + in + "', which is not before it");
                }
            }
            seen.add(n.name());
        }
        if (output == null || !seen.contains(output)) {
            throw new IllegalStateException("the network has no output node");
        }
    }
}
