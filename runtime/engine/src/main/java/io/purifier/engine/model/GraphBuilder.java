package io.purifier.engine.model;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.Normalization;
import io.purifier.engine.nn.ArrayStore;
import io.purifier.engine.nn.Layer;
import io.purifier.engine.nn.Network;
import io.purifier.engine.nn.Node;
import io.purifier.engine.nn.layers.Add;
import io.purifier.engine.nn.layers.BatchNorm;
import io.purifier.engine.nn.layers.Conv2d;
import io.purifier.engine.nn.layers.Dense;
import io.purifier.engine.nn.layers.Flatten;
import io.purifier.engine.nn.layers.GlobalAvgPool;
import io.purifier.engine.nn.layers.Input;
import io.purifier.engine.nn.layers.Normalize;
import io.purifier.engine.nn.layers.Pool2d;
import io.purifier.engine.nn.layers.Relu;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds an {@link EngineModel}: new models (the zoo, importers) node by node, and extensions of existing models
 * (defense blocks) as a chain of nodes inserted after a layer or before one consumer's input. Nodes are referred to
 * by name; every method returns the name of the node it added. A node made a public layer is listed in
 * {@link EngineModel#layerNames()}.
 */
public final class GraphBuilder {

    /** PyTorch's BatchNorm2d epsilon. */
    public static final double BN_EPS = BatchNorm.DEFAULT_EPS;

    private final EngineModel model;
    private final long seed;
    private final boolean extending;
    private final List<Node> chain = new ArrayList<>();
    private final LinkedHashMap<String, String> chainTaps = new LinkedHashMap<>();

    private GraphBuilder(EngineModel model, long seed, boolean extending) {
        this.model = model;
        this.seed = seed;
        this.extending = extending;
    }

    /**
     * Starts a new model with the input node {@value GraphNames#INPUT} and the normalization node
     * {@value GraphNames#NORMALIZE}.
     *
     * @param architectureId the zoo id (or an importer's id)
     * @param recipe         the architecture's resolved parameters
     * @param channels       input channels
     * @param height         input height
     * @param width          input width
     * @param classNames     output classes
     * @param normalization  per-channel normalization applied inside the model
     * @param seed           the initialisation seed
     * @param dt             the floating-point type of parameters and input (FLOAT; DOUBLE for gradient checks)
     */
    public static GraphBuilder create(String architectureId, Map<String, Object> recipe, int channels, int height,
                                      int width, List<String> classNames, Normalization normalization, long seed,
                                      DataType dt) {
        if (normalization.channels() != channels) {
            throw new IllegalArgumentException("normalization has " + normalization.channels()
                    + " channels but the input has " + channels);
        }
        if (!dt.isFPType()) {
            throw new IllegalArgumentException("model data type must be floating point, got " + dt);
        }
        EngineModel model = new EngineModel(architectureId, recipe, channels, height, width, classNames,
                normalization, seed, dt, new Network(), new ArrayStore());
        GraphBuilder b = new GraphBuilder(model, seed, false);
        b.node(GraphNames.INPUT, new Input(channels, height, width), false, Map.of());
        b.node(GraphNames.NORMALIZE, new Normalize(channels), false, Map.of(), GraphNames.INPUT);
        double[] inv = new double[channels];
        for (int c = 0; c < channels; c++) {
            inv[c] = 1.0 / normalization.std()[c];
        }
        model.array(GraphNames.NORMALIZE + "/mean").assign(vector(normalization.mean(), dt));
        model.array(GraphNames.NORMALIZE + "/inv_std").assign(vector(inv, dt));
        return b;
    }

    /**
     * Extends an existing model: nodes added with this builder form a chain that {@link #insertAfter} or
     * {@link #insertBefore} puts into the network; new arrays draw their values from {@code seed}.
     */
    public static GraphBuilder extend(EngineModel model, long seed) {
        return new GraphBuilder(model, seed, true);
    }

    private static INDArray vector(double[] v, DataType dt) {
        return org.nd4j.linalg.factory.Nd4j.create(v, new long[]{v.length}, DataType.DOUBLE).castTo(dt);
    }

    /** The model being built. */
    public EngineModel model() {
        return model;
    }

    /** The normalized input node. */
    public String input() {
        return GraphNames.NORMALIZE;
    }

    /**
     * Adds a node.
     *
     * @param name        unique node name (its arrays are {@code name/suffix})
     * @param layer       the operation
     * @param publicLayer whether {@code name} becomes a public layer
     * @param inits       initialisers replacing the layer's defaults, by array suffix
     * @param inputs      the nodes it reads
     * @return {@code name}
     */
    public String node(String name, Layer layer, boolean publicLayer, Map<String, ParamInit> inits, String... inputs) {
        Node node = new Node(name, layer, List.of(inputs));
        synchronized (model) {
            if (model.network().has(name) || chain.stream().anyMatch(n -> n.name().equals(name))) {
                throw new InvalidInputException("the model already has a node named '" + name + "'");
            }
            model.addArrays(node, inits, seed);
            if (extending) {
                chain.add(node);
                if (publicLayer) {
                    chainTaps.put(name, name);
                }
            } else {
                model.network().add(node);
                if (publicLayer) {
                    model.network().tap(name, name, null);
                }
            }
        }
        return name;
    }

    /** Publishes another layer name for an existing node (a stage output that is also its last block's output). */
    public String tap(String layer, String node) {
        if (extending) {
            chainTaps.put(layer, node);
        } else {
            model.network().tap(layer, node, null);
        }
        return node;
    }

    /** A 2-D convolution with symmetric zero padding and PyTorch's default initialisation, as a public layer. */
    public String conv(String layer, String x, int in, int out, int kernel, int stride, int padding, boolean bias) {
        return node(layer, Conv2d.square(in, out, kernel, stride, padding, bias), true, Map.of(), x);
    }

    /** Batch normalization (PyTorch's defaults) as a public layer. */
    public String batchNorm(String layer, String x, int channels) {
        return node(layer, BatchNorm.of(channels), true, Map.of(), x);
    }

    /** ReLU as a public layer. */
    public String relu(String layer, String x) {
        return node(layer, new Relu(), true, Map.of(), x);
    }

    /** ReLU as a helper node (not a public layer). */
    public String reluNode(String name, String x) {
        return node(name, new Relu(), false, Map.of(), x);
    }

    /** Max pooling with a square window and equal stride, no padding (floor), as a public layer. */
    public String maxPool(String layer, String x, int size) {
        return node(layer, Pool2d.maxSquare(size), true, Map.of(), x);
    }

    /** Global average pooling {@code [N, C, H, W] -> [N, C]} as a public layer. */
    public String globalAvgPool(String layer, String x) {
        return node(layer, new GlobalAvgPool(), true, Map.of(), x);
    }

    /** Flattens {@code [N, ...]} to {@code [N, features]} (a helper node). */
    public String flatten(String name, String x) {
        return node(name, new Flatten(), false, Map.of(), x);
    }

    /** A fully connected layer {@code x W + b} with PyTorch's default initialisation, as a public layer. */
    public String dense(String layer, String x, int in, int out) {
        return node(layer, new Dense(in, out, true), true, Map.of(), x);
    }

    /** Element-wise sum (a residual connection), a helper node. */
    public String add(String name, String a, String b) {
        return node(name, new Add(), false, Map.of(), a, b);
    }

    /** Finishes a new model: {@code logits} becomes its output. */
    public EngineModel finish(String logits) {
        if (extending) {
            throw new IllegalStateException("an extension is committed with insertAfter or insertBefore");
        }
        model.network().setOutput(logits);
        model.network().validate();
        return model;
    }

    /**
     * Inserts the chain after the node that {@code layer} names: everything that read it (and the public layer
     * names that pointed at it) now reads {@code chainOutput}. The chain's public layers are listed right after
     * {@code layer}.
     */
    public void insertAfter(String layer, String chainOutput) {
        requireExtending();
        synchronized (model) {
            String node = model.network().layerNode(layer);
            model.network().insertAfter(node, chain, chainOutput, false);
            publishChain(layer);
        }
    }

    /**
     * Inserts the chain on the {@code index}-th input of the node {@code consumer} only (for example in front of one
     * convolution); the chain's public layers are listed just before the public layer {@code publishBefore} (at the
     * end when null).
     */
    public void insertBefore(String consumer, int index, String chainOutput, String publishBefore) {
        requireExtending();
        synchronized (model) {
            model.network().insertBefore(consumer, index, chain, chainOutput);
            for (Map.Entry<String, String> t : chainTaps.entrySet()) {
                model.network().tap(t.getKey(), t.getValue(), publishBefore, true);
            }
            chain.clear();
            chainTaps.clear();
        }
    }

    /** The input node of the chain being built: the node read by input {@code index} of {@code consumer}. */
    public String inputOf(String consumer, int index) {
        Node c = model.network().node(consumer);
        if (index < 0 || index >= c.inputs().size()) {
            throw new InvalidInputException("node '" + consumer + "' has no input " + index);
        }
        return c.inputs().get(index);
    }

    private void publishChain(String after) {
        String prev = after;
        for (Map.Entry<String, String> t : chainTaps.entrySet()) {
            model.network().tap(t.getKey(), t.getValue(), prev, false);
            prev = t.getKey();
        }
        chain.clear();
        chainTaps.clear();
    }

    private void requireExtending() {
        if (!extending) {
            throw new IllegalStateException("insertAfter/insertBefore apply to builders made by GraphBuilder.extend");
        }
    }
}
