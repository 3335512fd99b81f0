package io.purifier.format.onnx.importer;

import io.purifier.api.InvalidInputException;
import io.purifier.api.model.ModelFormatException;
import io.purifier.engine.model.GraphBuilder;
import io.purifier.engine.nn.Layer;
import io.purifier.engine.nn.layers.Constant;
import io.purifier.engine.nn.layers.Reshape;
import io.purifier.format.onnx.proto.OnnxNode;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The state of one import: what each ONNX value name stands for, who reads it, the engine network being built, the
 * names given so far and the nodes to publish as layers. Converters read their inputs and define their outputs
 * through it; every problem it reports names the ONNX node.
 */
final class ImportContext {

    /** A {@code [N, C, 1, 1]} view of a flat node, made only when something reads the 4-D value. */
    private record PendingView(OnnxNode source, Value.Dyn flat) {
    }

    /** An engine node to publish as a layer, with the ONNX node it came from (for its module scopes). */
    record Published(String node, OnnxNode source) {
    }

    private final GraphBuilder builder;
    private final long opset;
    private final long declaredBatch;
    private final LayerNames names;
    private final Map<String, Value> values = new HashMap<>();
    private final Map<String, List<OnnxNode>> readers = new HashMap<>();
    private final Set<String> graphOutputs;
    private final Map<String, PendingView> pendingViews = new HashMap<>();
    private final Map<ConstValue, Value.Dyn> constantNodes = new IdentityHashMap<>();
    private final Set<OnnxNode> absorbed = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<Published> published = new ArrayList<>();
    private final Map<String, String> properties = new LinkedHashMap<>();

    ImportContext(GraphBuilder builder, long opset, long declaredBatch, List<OnnxNode> nodes, Set<String> graphOutputs) {
        this.builder = builder;
        this.opset = opset;
        this.declaredBatch = declaredBatch;
        this.names = new LayerNames(nodes);
        this.graphOutputs = graphOutputs;
        for (OnnxNode n : nodes) {
            for (String in : n.inputs()) {
                if (!in.isEmpty()) {
                    readers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
                }
            }
        }
    }

    /** The default domain's operator set version. */
    long opset() {
        return opset;
    }

    /** The batch size the graph input declares, or -1 when it is symbolic. */
    long declaredBatch() {
        return declaredBatch;
    }

    /** Defines an ONNX value (a graph input, an initializer or a node output). */
    void define(String valueName, Value v) {
        values.put(valueName, v);
    }

    /** Defines output {@code index} of {@code node}. */
    void define(OnnxNode node, int index, Value v) {
        if (index < node.outputs().size() && !node.outputs().get(index).isEmpty()) {
            values.put(node.outputs().get(index), v);
        }
    }

    /** The value a graph output names, or null. */
    Value output(String valueName) {
        return lookup(valueName);
    }

    private Value lookup(String valueName) {
        Value v = values.get(valueName);
        PendingView p = pendingViews.get(valueName);
        if (v == null && p != null) {
            String view = names.unique(p.flat().node() + ".view");
            v = add(p.source(), view, new Reshape(new long[]{p.flat().shape()[1], 1, 1}), false, p.flat());
            values.put(valueName, v);
        }
        return v;
    }

    /** Whether {@code node} has a non-empty input {@code index}. */
    boolean has(OnnxNode node, int index) {
        return index < node.inputs().size() && !node.inputs().get(index).isEmpty();
    }

    /** Input {@code index} of {@code node}. */
    Value value(OnnxNode node, int index) {
        if (!has(node, index)) {
            throw problem(node, "needs input " + (index + 1) + ", which is missing");
        }
        String name = node.inputs().get(index);
        Value v = lookup(name);
        if (v == null) {
            throw problem(node, "reads '" + name + "', which no graph input, initializer or earlier node provides");
        }
        return v;
    }

    /**
     * The shape of input {@code index} ({@code [1, ...]} for a computed tensor) without making a pending view's node
     * (for {@code Shape}, which needs no data).
     */
    long[] shapeOf(OnnxNode node, int index) {
        PendingView p = has(node, index) ? pendingViews.get(node.inputs().get(index)) : null;
        if (p != null && !values.containsKey(node.inputs().get(index))) {
            return new long[]{1, p.flat().shape()[1], 1, 1};
        }
        Value v = value(node, index);
        return v instanceof ConstValue c ? c.dims() : ((Value.Dyn) v).shape();
    }

    /** Whether input {@code index} is computed from the model input (not a constant). */
    boolean isDynamic(OnnxNode node, int index) {
        return has(node, index) && (pendingViews.containsKey(node.inputs().get(index))
                || values.get(node.inputs().get(index)) instanceof Value.Dyn);
    }

    /** Input {@code index}, which must be a constant. */
    ConstValue constant(OnnxNode node, int index, String what) {
        if (value(node, index) instanceof ConstValue c) {
            return c;
        }
        throw problem(node, "its " + what + " (input " + (index + 1) + ", '" + node.inputs().get(index)
                + "') must be a constant (an initializer, or computed from constants only), but it is computed from "
                + "the model input");
    }

    /** Input {@code index}, which must be computed from the model input. */
    Value.Dyn dynamic(OnnxNode node, int index) {
        if (value(node, index) instanceof Value.Dyn d) {
            return d;
        }
        throw problem(node, "input " + (index + 1) + " ('" + node.inputs().get(index) + "') is a constant; the importer "
                + "folds constants only through shape operators (Shape, Gather, Unsqueeze, Concat, Reshape, Slice, "
                + "Cast, arithmetic), not through " + node.opType());
    }

    /**
     * When input {@code index} is a 4-D view {@code [N, C, 1, 1]} of a flat {@code [N, C]} node (global average
     * pooling), that flat node; else null. A flatten of the view then needs no node of its own.
     */
    Value.Dyn flatSource(OnnxNode node, int index) {
        PendingView p = has(node, index) ? pendingViews.get(node.inputs().get(index)) : null;
        return p == null ? null : p.flat();
    }

    /**
     * Defines output 0 of {@code node} as the view {@code [N, C, 1, 1]} of the flat node {@code flat}; the view's
     * node is added only if something reads the 4-D value.
     */
    void defineFlatView(OnnxNode node, Value.Dyn flat) {
        pendingViews.put(node.outputs().get(0), new PendingView(node, flat));
    }

    /** The name of {@code node}'s main engine node (see {@link LayerNames}); {@code weight} is its weight's name. */
    String name(OnnxNode node, String weight) {
        return names.name(node, weight);
    }

    /** A unique helper node name derived from {@code base}. */
    String helperName(String base) {
        return names.unique(base);
    }

    /**
     * Adds an engine node reading {@code inputs}; its shape comes from the layer's shape rule.
     *
     * @param publicLayer whether the node becomes a layer (published in forward order when the import ends)
     */
    Value.Dyn add(OnnxNode source, String name, Layer layer, boolean publicLayer, Value.Dyn... inputs) {
        List<long[]> shapes = new ArrayList<>();
        String[] nodes = new String[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            shapes.add(inputs[i].shape());
            nodes[i] = inputs[i].node();
        }
        long[] shape;
        try {
            shape = layer.outputShape(shapes);
        } catch (InvalidInputException e) {
            throw problem(source, e.getMessage());
        }
        builder.node(name, layer, false, Map.of(), nodes);
        if (publicLayer) {
            published.add(new Published(name, source));
        }
        return new Value.Dyn(name, shape);
    }

    /**
     * An engine constant node holding input {@code index} of {@code user}, a constant (one node per constant, made on
     * first use, named after the constant's value).
     */
    Value.Dyn constantNode(OnnxNode user, int index) {
        ConstValue c = constant(user, index, "constant operand");
        Value.Dyn known = constantNodes.get(c);
        if (known != null) {
            return known;
        }
        long[] dims = c.rank() == 0 ? new long[]{1} : c.dims();
        String name = names.helper(user.inputs().get(index), "constant");
        Value.Dyn d = add(user, name, new Constant(dims), false);
        assign(user, name, "value", c.array(dims));
        constantNodes.put(c, d);
        return d;
    }

    /** Copies {@code values} into the engine array {@code node/suffix}. */
    void assign(OnnxNode source, String node, String suffix, INDArray values) {
        try {
            builder.model().assign(node + "/" + suffix, values);
        } catch (InvalidInputException e) {
            throw problem(source, e.getMessage());
        }
    }

    /** The nodes that read {@code valueName}. */
    List<OnnxNode> readers(String valueName) {
        return readers.getOrDefault(valueName, List.of());
    }

    /** Whether {@code valueName} is a graph output. */
    boolean isGraphOutput(String valueName) {
        return graphOutputs.contains(valueName);
    }

    /** Fails when output {@code index} of {@code node} is read by anything (an optional output the import drops). */
    void requireUnused(OnnxNode node, int index, String what) {
        if (index < node.outputs().size()) {
            String out = node.outputs().get(index);
            if (!out.isEmpty() && (!readers(out).isEmpty() || isGraphOutput(out))) {
                throw problem(node, "its " + what + " output ('" + out + "') is used, which the importer does not support");
            }
        }
    }

    /** Marks a later node as handled by an earlier converter (for example an addition folded into a bias). */
    void absorb(OnnxNode node) {
        absorbed.add(node);
    }

    boolean absorbed(OnnxNode node) {
        return absorbed.contains(node);
    }

    /** The nodes to publish, in the order they were added. */
    List<Published> published() {
        return List.copyOf(published);
    }

    /** Records a provenance property of the imported model. */
    void property(String key, String value) {
        properties.put(key, value);
    }

    Map<String, String> properties() {
        return properties;
    }

    /** A problem with {@code node}. */
    static ModelFormatException problem(OnnxNode node, String message) {
        return new ModelFormatException(node.describe() + ": " + message);
    }
}
