package io.purifier.engine.model;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.Normalization;
import io.purifier.api.model.Model;
import io.purifier.api.model.ModelInfo;
import io.purifier.engine.nn.ArraySpec;
import io.purifier.engine.nn.ArrayStore;
import io.purifier.engine.nn.ForwardPass;
import io.purifier.engine.nn.GradientRequest;
import io.purifier.engine.nn.Network;
import io.purifier.engine.nn.Node;
import io.purifier.engine.nn.layers.BatchNorm;
import io.purifier.engine.tensor.BufferPool;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An image classifier: a {@link Network} of layers, its arrays (parameters and buffers, by stable name), and the
 * metadata the rest of Purifier needs (input shape, class names, normalization, the architecture id with its
 * resolved parameters, the creation seed, provenance properties, the frozen set).
 *
 * <p>Names: public layers follow the PyTorch module names of the architecture ({@code conv1}, {@code layer4.1.bn1});
 * a layer's arrays are {@code layer/W}, {@code layer/b}, {@code layer/gamma}, {@code layer/beta},
 * {@code layer/mean}, {@code layer/var}. Convolution weights are {@code [out, in, kH, kW]}, dense weights
 * {@code [in, out]}.</p>
 *
 * <p>Execution: {@link #logits} (inference, batched), {@link #activations} (outputs of named layers) and
 * {@link #forward} (a pass kept for a backward pass). Intermediate arrays come from the model's own buffer pool, so
 * repeated passes allocate nothing. Every method is {@code synchronized}: a model is used by one thread at a time.</p>
 * <p>Length: this is the model facade that defenses and formats program against (metadata, arrays, freezing,
 * passes); every method is a few lines delegating to {@link Network}, {@link ArrayStore} or a pass, and splitting
 * the facade would split the one type plugins learn, so it stays above 300 lines.</p>
 */
public final class EngineModel implements Model {

    /** Images per inference batch in {@link #logits(INDArray)}. */
    public static final int INFERENCE_BATCH = 256;

    private final String architectureId;
    private final Map<String, Object> recipe;
    private final int channels;
    private final int height;
    private final int width;
    private final List<String> classNames;
    private final Normalization normalization;
    private final long seed;
    private final DataType dataType;
    private final Network network;
    private final ArrayStore arrays;
    private final Set<String> frozen = new LinkedHashSet<>();
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final BufferPool pool = new BufferPool();

    EngineModel(String architectureId, Map<String, Object> recipe, int channels, int height, int width,
                List<String> classNames, Normalization normalization, long seed, DataType dataType, Network network,
                ArrayStore arrays) {
        this.architectureId = Objects.requireNonNull(architectureId, "architectureId");
        this.recipe = Collections.unmodifiableMap(new LinkedHashMap<>(recipe));
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.classNames = List.copyOf(classNames);
        this.normalization = Objects.requireNonNull(normalization, "normalization");
        this.seed = seed;
        this.dataType = dataType;
        this.network = network;
        this.arrays = arrays;
    }

    // ----------------------------------------------------------------------------------------------- metadata

    @Override
    public synchronized ModelInfo info() {
        return new ModelInfo(architectureId, channels, height, width, classNames, normalization, network.layers(),
                properties);
    }

    /** The zoo architecture id this model was created from (for example {@code preact-resnet18}). */
    public String architectureId() {
        return architectureId;
    }

    /** The architecture's resolved parameters at creation, by name (Integer, Double, Boolean, String, List). */
    public Map<String, Object> recipe() {
        return recipe;
    }

    /** The seed the parameters were initialised with (re-initialisation with it reproduces the originals). */
    public long seed() {
        return seed;
    }

    /** Number of output classes. */
    public int numClasses() {
        return classNames.size();
    }

    /** The floating-point type of the arrays (FLOAT; DOUBLE for gradient checks). */
    public DataType dataType() {
        return dataType;
    }

    /** Adds or replaces a provenance property (shown in {@link ModelInfo#properties()}). */
    public synchronized void setProperty(String key, String value) {
        properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    }

    /** The provenance properties. */
    public synchronized Map<String, String> properties() {
        return new LinkedHashMap<>(properties);
    }

    /**
     * The network, for inspection and for surgery through {@link GraphBuilder#extend}. Edits must keep the
     * conventions of this class; arrays of new layers go through the builder.
     */
    public Network network() {
        return network;
    }

    /** The arrays by name (for exporters and builders). */
    public ArrayStore arrays() {
        return arrays;
    }

    // ------------------------------------------------------------------------------------- layers and params

    /** Named layers usable as inspection or insertion points, in forward order. */
    public synchronized List<String> layerNames() {
        return network.layers();
    }

    /**
     * The node whose output a public layer names.
     *
     * @throws InvalidInputException naming the layer and the known layers when it does not exist
     */
    public synchronized String layerNode(String layer) {
        return network.layerNode(layer);
    }

    /** Every parameter (trained array) by stable name, in creation order. */
    public synchronized List<String> parameterNames() {
        return arrays.parameters();
    }

    /** The parameters the trainer updates: all parameters except the frozen ones, in creation order. */
    public synchronized List<String> trainableParameterNames() {
        List<String> out = new ArrayList<>();
        for (String p : arrays.parameters()) {
            if (!frozen.contains(p)) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * The output shape of a public layer for a batch of {@code n} images, from the layers' shape rules.
     *
     * @throws InvalidInputException naming an unknown layer
     */
    public synchronized long[] outputShape(String layer, long n) {
        return nodeShape(network.layerNode(layer), n);
    }

    /** The output shape of a node (by node name) for a batch of {@code n} images. */
    public synchronized long[] nodeShape(String node, long n) {
        network.node(node);
        return network.shapes(new long[]{n, channels, height, width}).get(node);
    }

    /** The parameters excluded from training. */
    public synchronized Set<String> frozenParameters() {
        return Set.copyOf(frozen);
    }

    /**
     * The parameters of {@code layer} and of the layers nested in it (names starting with {@code layer + "/"} or
     * {@code layer + "."}, so {@code layer4} covers {@code layer4.1.conv1/W}), in creation order.
     */
    public synchronized List<String> parametersOf(String layer) {
        network.layerNode(layer);
        List<String> out = new ArrayList<>();
        for (String p : arrays.parameters()) {
            if (p.startsWith(layer + "/") || p.startsWith(layer + ".")) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * Excludes parameters from training (gradients are still propagated through them).
     *
     * @throws InvalidInputException naming an unknown parameter
     */
    public synchronized void freeze(Collection<String> names) {
        for (String name : names) {
            requireParameter(name);
        }
        frozen.addAll(names);
    }

    /** Makes frozen parameters trainable again. */
    public synchronized void unfreeze(Collection<String> names) {
        for (String name : names) {
            requireParameter(name);
        }
        frozen.removeAll(names);
    }

    /** The initialiser the architecture (or a later insertion) declared for {@code name}. */
    public synchronized ParamInit initializer(String name) {
        return arrays.entry(name).init();
    }

    /** Whether the model has an array (parameter or buffer) of this name. */
    public synchronized boolean hasArray(String name) {
        return arrays.has(name);
    }

    /**
     * The live array of a parameter or buffer. Writing into it changes the model.
     *
     * @throws InvalidInputException naming an unknown array
     */
    public synchronized INDArray array(String name) {
        return arrays.get(name);
    }

    /**
     * Copies {@code values} into the array {@code name}.
     *
     * @throws InvalidInputException when the array is unknown or the shapes differ
     */
    public synchronized void assign(String name, INDArray values) {
        INDArray target = array(name);
        if (!Arrays.equals(target.shape(), values.shape())) {
            throw new InvalidInputException("array '" + name + "' has shape " + Arrays.toString(target.shape())
                    + ", got " + Arrays.toString(values.shape()));
        }
        target.assign(values);
    }

    /** The batch-norm layers in forward order. */
    public synchronized List<BatchNormLayer> batchNormLayers() {
        List<BatchNormLayer> out = new ArrayList<>();
        for (Node n : network.nodes()) {
            if (n.layer() instanceof BatchNorm bn) {
                out.add(BatchNormLayer.named(n.name(), bn.channels()));
            }
        }
        return out;
    }

    /**
     * Pins a batch-norm layer to its running statistics even in {@link BnMode#TRAIN} (so training neither uses nor
     * updates its batch statistics), or releases it.
     */
    public synchronized void pinBatchNormToRunningStats(String layer, boolean pinned) {
        if (!network.has(layer) || !(network.node(layer).layer() instanceof BatchNorm)) {
            throw new InvalidInputException("model '" + architectureId + "' has no batch-norm layer named '" + layer
                    + "' (batch-norm layers: " + String.join(", ", batchNormLayers().stream().map(BatchNormLayer::name).toList()) + ")");
        }
        arrays.get(BatchNormLayer.named(layer, 0).trainGate()).assign(pinned ? 0 : 1);
    }

    /** Whether the batch-norm layer follows the pass's mode (false when pinned to running statistics). */
    public synchronized boolean followsBatchNormMode(BatchNormLayer bn) {
        return arrays.get(bn.trainGate()).getDouble(0) != 0.0;
    }

    // ------------------------------------------------------------------------------------------- execution

    @Override
    public synchronized INDArray logits(INDArray images) {
        checkImages(images);
        long n = images.size(0);
        INDArray out = Nd4j.createUninitialized(dataType, new long[]{n, numClasses()}, 'c');
        for (long start = 0; start < n; start += INFERENCE_BATCH) {
            long end = Math.min(n, start + INFERENCE_BATCH);
            INDArray batch = n <= INFERENCE_BATCH ? images : images.get(NDArrayIndex.interval(start, end));
            try (ForwardPass pass = pass(batch, BnMode.EVAL, false, GradientRequest.NONE)) {
                out.get(NDArrayIndex.interval(start, end)).assign(pass.logits());
            }
        }
        return out;
    }

    /**
     * The outputs of public layers (and of the logits under {@link GraphNames#LOGITS}) for {@code images} in one pass,
     * as fresh arrays. Running statistics are not updated.
     */
    public synchronized Map<String, INDArray> activations(INDArray images, BnMode mode, String... layers) {
        checkImages(images);
        for (String l : layers) {
            if (!GraphNames.LOGITS.equals(l)) {
                network.layerNode(l);
            }
        }
        Map<String, INDArray> out = new LinkedHashMap<>();
        try (ForwardPass pass = pass(images, mode, false, GradientRequest.NONE)) {
            for (String l : layers) {
                out.put(l, (GraphNames.LOGITS.equals(l) ? pass.logits() : pass.output(l)).dup('c'));
            }
        }
        return out;
    }

    /**
     * A forward pass kept for a backward pass. In {@link BnMode#TRAIN} batch norms use batch statistics and update
     * their running statistics, as PyTorch's {@code train()} mode does. Close the pass when done.
     *
     * @param images  {@code [N, C, H, W]} pixels in [0, 1]
     * @param mode    batch-norm mode
     * @param request the gradients {@link ForwardPass#backward} will compute
     */
    public synchronized ForwardPass forward(INDArray images, BnMode mode, GradientRequest request) {
        return forward(images, mode, request, mode == BnMode.TRAIN);
    }

    /** {@link #forward(INDArray, BnMode, GradientRequest)} choosing whether running statistics are updated. */
    public synchronized ForwardPass forward(INDArray images, BnMode mode, GradientRequest request,
                                            boolean updateStatistics) {
        checkImages(images);
        for (String p : request.parameters()) {
            requireParameter(p);
        }
        return pass(images, mode, updateStatistics, request);
    }

    private ForwardPass pass(INDArray images, BnMode mode, boolean update, GradientRequest request) {
        return new ForwardPass(network, arrays, pool, dataType, images, mode, update, request);
    }

    /** A gradient request for the trainable parameters. */
    public synchronized GradientRequest trainableRequest() {
        return GradientRequest.parameters(trainableParameterNames());
    }

    /**
     * Checks that {@code images} is {@code [N, C, H, W]} with this model's input shape and at least one image.
     *
     * @throws InvalidInputException describing the mismatch
     */
    public void checkImages(INDArray images) {
        long[] s = images.shape();
        if (s.length != 4 || s[1] != channels || s[2] != height || s[3] != width || s[0] < 1) {
            throw new InvalidInputException("model '" + architectureId + "' expects images [N, " + channels + ", "
                    + height + ", " + width + "] with N >= 1, got " + Arrays.toString(s));
        }
    }

    /** Frees the memory kept for reuse between passes (it is taken again by the next pass). */
    public synchronized void releaseMemory() {
        pool.clear();
    }

    // --------------------------------------------------------------------------------------- copy

    /** A deep copy: network, arrays, metadata, frozen set, properties. */
    public synchronized EngineModel copy() {
        Network net = new Network();
        for (Node n : network.nodes()) {
            net.add(n);
        }
        net.setOutput(network.output());
        network.taps().forEach((layer, node) -> net.tap(layer, node, null));
        ArrayStore store = new ArrayStore();
        arrays.entries().forEach((name, e) -> store.add(name, e.array().dup('c'), e.kind(), e.init()));
        EngineModel copy = new EngineModel(architectureId, recipe, channels, height, width, classNames, normalization,
                seed, dataType, net, store);
        copy.frozen.addAll(frozen);
        copy.properties.putAll(properties);
        return copy;
    }

    // ------------------------------------------------------------------------------------- package access

    /** Adds a node's arrays (created with their initialisers, or the given overrides) to the store. */
    synchronized void addArrays(Node node, Map<String, ParamInit> overrides, long initSeed) {
        for (ArraySpec spec : node.layer().arrays()) {
            String name = node.array(spec.suffix());
            ParamInit init = overrides.getOrDefault(spec.suffix(), spec.init());
            arrays.add(name, init.sample(spec.shape(), dataType, initSeed, name), spec.kind(), init);
        }
    }

    synchronized void addFrozen(Collection<String> names) {
        frozen.addAll(names);
    }

    private void requireParameter(String name) {
        if (!arrays.has(name) || arrays.entry(name).kind() != ArraySpec.Kind.PARAMETER) {
            throw new InvalidInputException("model '" + architectureId + "' has no parameter named '" + name
                    + "' (parameters: " + String.join(", ", arrays.parameters()) + ")");
        }
    }
}
