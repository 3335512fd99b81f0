package io.purifier.engine.model;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.Normalization;
import io.purifier.api.model.Model;
import io.purifier.api.model.ModelInfo;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.autodiff.samediff.internal.Variable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An image classifier held as a SameDiff graph plus the metadata the rest of Purifier needs: input shape,
 * class names, normalization (applied inside the graph), named layers in forward order, the architecture id
 * with its resolved parameters (the "recipe"), the parameters by stable name with their initialisers, and the
 * batch-norm layers.
 *
 * <p>Graph conventions: placeholder {@value GraphNames#INPUT} takes [0, 1] pixels, the scalar placeholder
 * {@value GraphNames#BN_MODE} selects the {@link BnMode}, output {@value GraphNames#LOGITS} holds the logits.
 * Parameters are SameDiff VARIABLEs named {@code layer/W}, {@code layer/b}, {@code layer/gamma},
 * {@code layer/beta}; batch-norm running statistics are CONSTANTs {@code layer/mean}, {@code layer/var}.</p>
 *
 * <p>All execution methods are {@code synchronized}: a SameDiff graph is not thread-safe.</p>
 */
public final class EngineModel implements Model {

    /** Images per inference batch in {@link #logits(INDArray)}. */
    public static final int INFERENCE_BATCH = 256;

    private final SameDiff sd;
    private final String architectureId;
    private final Map<String, Object> recipe;
    private final int channels;
    private final int height;
    private final int width;
    private final List<String> classNames;
    private final Normalization normalization;
    private final long seed;
    private final List<String> layerNames = new ArrayList<>();
    private final Map<String, String> layerOutputs = new HashMap<>();
    private final List<String> parameters = new ArrayList<>();
    private final Map<String, ParamInit> initializers = new HashMap<>();
    private final Map<String, BatchNormLayer> batchNorms = new LinkedHashMap<>();
    private final Set<String> frozen = new LinkedHashSet<>();
    private final Map<String, String> properties = new LinkedHashMap<>();
    /** The loss SameDiff's gradient function was built for; null after the graph changed. */
    private String gradientLoss;

    EngineModel(SameDiff sd, String architectureId, Map<String, Object> recipe, int channels, int height, int width,
                List<String> classNames, Normalization normalization, long seed) {
        this.sd = Objects.requireNonNull(sd, "sd");
        this.architectureId = Objects.requireNonNull(architectureId, "architectureId");
        this.recipe = Collections.unmodifiableMap(new LinkedHashMap<>(recipe));
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.classNames = List.copyOf(classNames);
        this.normalization = Objects.requireNonNull(normalization, "normalization");
        this.seed = seed;
        if (XwPlusBHelperGuard.needed(sd)) {
            sd.addListeners(new XwPlusBHelperGuard());
        }
    }

    // ----------------------------------------------------------------------------------------------- metadata

    @Override
    public synchronized ModelInfo info() {
        return new ModelInfo(architectureId, channels, height, width, classNames, normalization, layerNames, properties);
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

    /** The floating-point type of the parameters and the input. */
    public synchronized DataType dataType() {
        return sd.getVariable(GraphNames.INPUT).dataType();
    }

    /** Adds or replaces a provenance property (shown in {@link ModelInfo#properties()}). */
    public synchronized void setProperty(String key, String value) {
        properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    }

    /**
     * The underlying graph, for advanced use (new losses, surgery). Keep the conventions of this class and
     * register new parameters and layers through
     * {@link GraphBuilder#extend(EngineModel, long, String)}. Taking the graph invalidates the cached gradient
     * function.
     */
    public synchronized SameDiff graph() {
        gradientLoss = null;
        return sd;
    }

    /** The graph for read-only use inside this package (does not invalidate the gradient function). */
    SameDiff sameDiff() {
        return sd;
    }

    // ------------------------------------------------------------------------------------- layers and params

    /** Named layers usable as inspection or insertion points, in forward order. */
    public synchronized List<String> layerNames() {
        return List.copyOf(layerNames);
    }

    /**
     * The graph variable holding the output of {@code layer}.
     *
     * @throws InvalidInputException naming the layer and the known layers when it does not exist
     */
    public synchronized String layerOutput(String layer) {
        String out = layerOutputs.get(layer);
        if (out == null) {
            throw new InvalidInputException("model '" + architectureId + "' has no layer named '" + layer
                    + "' (layers: " + String.join(", ", layerNames) + ")");
        }
        return out;
    }

    /** Every parameter (trainable variable) by stable name, in creation order. */
    public synchronized List<String> parameterNames() {
        return List.copyOf(parameters);
    }

    /** The parameters the trainer updates: all parameters except the frozen ones, in creation order. */
    public synchronized List<String> trainableParameterNames() {
        List<String> out = new ArrayList<>(parameters.size());
        for (String p : parameters) {
            if (!frozen.contains(p)) {
                out.add(p);
            }
        }
        return out;
    }

    /** The parameters excluded from training. */
    public synchronized Set<String> frozenParameters() {
        return Set.copyOf(frozen);
    }

    /**
     * The parameters of {@code layer} and of the layers nested in it (names starting with {@code layer + "/"}
     * or {@code layer + "."}, so {@code layer4} covers {@code layer4.1.conv1/W}), in creation order.
     */
    public synchronized List<String> parametersOf(String layer) {
        layerOutput(layer);
        List<String> out = new ArrayList<>();
        for (String p : parameters) {
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

    /** The initialiser the architecture (or a later insertion) declared for {@code parameter}. */
    public synchronized ParamInit initializer(String parameter) {
        requireParameter(parameter);
        return initializers.get(parameter);
    }

    /** Whether the graph has a variable (of any kind) named {@code name}. */
    public synchronized boolean hasVariable(String name) {
        return sd.hasVariable(name);
    }

    /**
     * The live array of a variable or constant (a parameter, a running statistic, a mask). Writing into it
     * changes the model.
     *
     * @throws InvalidInputException naming an unknown variable
     */
    public synchronized INDArray array(String name) {
        if (!sd.hasVariable(name) || sd.getArrForVarName(name) == null) {
            throw new InvalidInputException("model '" + architectureId + "' has no variable named '" + name + "'");
        }
        return sd.getArrForVarName(name);
    }

    /**
     * Copies {@code values} into the variable {@code name}.
     *
     * @throws InvalidInputException when the variable is unknown or the shapes differ
     */
    public synchronized void assign(String name, INDArray values) {
        INDArray target = array(name);
        if (!Arrays.equals(target.shape(), values.shape())) {
            throw new InvalidInputException("variable '" + name + "' has shape " + Arrays.toString(target.shape())
                    + ", got " + Arrays.toString(values.shape()));
        }
        target.assign(values);
    }

    /** The batch-norm layers in creation order. */
    public synchronized List<BatchNormLayer> batchNormLayers() {
        return List.copyOf(batchNorms.values());
    }

    /**
     * Pins a batch-norm layer to its running statistics even in {@link BnMode#TRAIN} (and stops the trainer
     * from updating them), or releases it.
     */
    public synchronized void pinBatchNormToRunningStats(String layer, boolean pinned) {
        BatchNormLayer bn = batchNorms.get(layer);
        if (bn == null) {
            throw new InvalidInputException("model '" + architectureId + "' has no batch-norm layer named '" + layer
                    + "' (batch-norm layers: " + String.join(", ", batchNorms.keySet()) + ")");
        }
        sd.getArrForVarName(bn.trainGate()).assign(pinned ? 0 : 1);
    }

    /** Whether the batch-norm layer follows the mode placeholder (false when pinned to running stats). */
    public synchronized boolean followsBatchNormMode(BatchNormLayer bn) {
        return sd.getArrForVarName(bn.trainGate()).getDouble(0) != 0.0;
    }

    // ------------------------------------------------------------------------------------------- execution

    @Override
    public INDArray logits(INDArray images) {
        checkImages(images);
        long n = images.size(0);
        if (n <= INFERENCE_BATCH) {
            return output(images, BnMode.EVAL, Map.of(), GraphNames.LOGITS).get(GraphNames.LOGITS);
        }
        List<INDArray> parts = new ArrayList<>();
        for (long start = 0; start < n; start += INFERENCE_BATCH) {
            long end = Math.min(n, start + INFERENCE_BATCH);
            INDArray batch = images.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(start, end));
            parts.add(output(batch, BnMode.EVAL, Map.of(), GraphNames.LOGITS).get(GraphNames.LOGITS));
        }
        return Nd4j.concat(0, parts.toArray(INDArray[]::new));
    }

    /**
     * Runs the graph once and returns the requested variables.
     *
     * @param images  {@code [N, C, H, W]} pixels in [0, 1]
     * @param mode    batch-norm mode
     * @param feeds   further placeholders (for example {@link GraphNames#LABELS}); may be empty
     * @param outputs variable names to return
     */
    public synchronized Map<String, INDArray> output(INDArray images, BnMode mode, Map<String, INDArray> feeds,
                                                     String... outputs) {
        return sd.output(placeholders(images, mode, feeds), outputs);
    }

    /**
     * One forward and backward pass of {@code loss}.
     *
     * @param images  {@code [N, C, H, W]} pixels in [0, 1]
     * @param mode    batch-norm mode of the forward pass
     * @param feeds   further placeholders the loss needs (labels, teacher logits, ...)
     * @param loss    the scalar loss variable to differentiate
     * @param outputs variables to return alongside (may be empty)
     * @param wrt     variables (parameters, or {@link GraphNames#INPUT}) to differentiate with respect to
     * @return outputs and gradients (gradient of the loss itself, so a mean loss gives mean gradients)
     */
    public synchronized OutAndGrad outputAndGradients(INDArray images, BnMode mode, Map<String, INDArray> feeds,
                                                      String loss, Collection<String> outputs, Collection<String> wrt) {
        if (!sd.hasVariable(loss)) {
            throw new InvalidInputException("model has no loss variable named '" + loss + "'");
        }
        if (!loss.equals(gradientLoss)) {
            // setLossVariables drops SameDiff's cached gradient function; it is rebuilt here with the input
            // placeholder included (SameDiff only differentiates placeholders that are named at creation).
            sd.setLossVariables(loss);
            sd.createGradFunction(GraphNames.INPUT);
            gradientLoss = loss;
        }
        Map<String, INDArray> ph = placeholders(images, mode, feeds);
        if (outputs.isEmpty()) {
            return new OutAndGrad(Map.of(), sd.calculateGradients(ph, wrt));
        }
        return sd.calculateGradientsAndOutputs(ph, outputs, wrt);
    }

    /**
     * The mean softmax cross-entropy loss {@value GraphNames#CE_LOSS} on {@value GraphNames#LABELS} (added to
     * the graph on first use).
     *
     * @return the loss variable name
     */
    public synchronized String crossEntropyLoss() {
        if (!sd.hasVariable(GraphNames.CE_LOSS)) {
            gradientLoss = null;
            SDVariable labels = sd.placeHolder(GraphNames.LABELS, dataType(), -1, numClasses());
            sd.loss().softmaxCrossEntropy(GraphNames.CE_LOSS, labels, sd.getVariable(GraphNames.LOGITS), null);
        }
        return GraphNames.CE_LOSS;
    }

    /** One-hot labels {@code [N, numClasses]} in this model's data type. */
    public INDArray oneHot(int[] labels) {
        INDArray out = Nd4j.zeros(dataType(), labels.length, numClasses());
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses()) {
                throw new InvalidInputException("label " + labels[i] + " of sample " + i + " is outside [0, "
                        + numClasses() + ")");
            }
            out.putScalar(i, labels[i], 1.0);
        }
        return out;
    }

    /**
     * Checks an image batch against the model's input shape.
     *
     * @throws InvalidInputException naming the expected and actual shape
     */
    public void checkImages(INDArray images) {
        long[] s = images.shape();
        if (s.length != 4 || s[1] != channels || s[2] != height || s[3] != width) {
            throw new InvalidInputException("model '" + architectureId + "' expects images [N, " + channels + ", "
                    + height + ", " + width + "], got " + Arrays.toString(s));
        }
    }

    private Map<String, INDArray> placeholders(INDArray images, BnMode mode, Map<String, INDArray> feeds) {
        checkImages(images);
        DataType dt = dataType();
        Map<String, INDArray> ph = new HashMap<>();
        for (Map.Entry<String, INDArray> e : feeds.entrySet()) {
            INDArray v = e.getValue();
            ph.put(e.getKey(), v.dataType().isFPType() && v.dataType() != dt ? v.castTo(dt) : v);
        }
        ph.put(GraphNames.INPUT, images.dataType() == dt ? images : images.castTo(dt));
        ph.put(GraphNames.BN_MODE, Nd4j.scalar(dt, mode.placeholderValue()));
        return ph;
    }

    // --------------------------------------------------------------------------------------- copy, dtype

    /** A deep copy: graph, arrays, metadata, frozen set. */
    public synchronized EngineModel copy() {
        return NativeModelFile.fromBytes(NativeModelFile.toBytes(this));
    }

    // --------------------------------------------------------------------------------------- surgery

    /** The ops that currently consume variable {@code var}. */
    public synchronized List<String> consumersOf(String var) {
        Variable v = sd.getVariables().get(var);
        if (v == null) {
            throw new InvalidInputException("model has no variable named '" + var + "'");
        }
        return v.getInputsForOp() == null ? List.of() : List.copyOf(v.getInputsForOp());
    }

    /**
     * Makes the given ops read {@code replacement} wherever they read {@code var}.
     *
     * @param var         the variable being replaced
     * @param replacement the new input
     * @param consumerOps the op names to rewire, usually {@link #consumersOf(String)} taken before the
     *                    replacement was built
     */
    public synchronized void rewire(String var, SDVariable replacement, Collection<String> consumerOps) {
        gradientLoss = null;
        for (String opName : consumerOps) {
            DifferentialFunction op = sd.getOpById(opName);
            String[] args = op.argNames();
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals(var)) {
                    sd.replaceArgFor(i, replacement, op);
                }
            }
        }
    }

    /** Points {@code layer}'s tap at another variable (for example its masked output). */
    public synchronized void retap(String layer, String var) {
        layerOutput(layer);
        layerOutputs.put(layer, var);
    }

    // ------------------------------------------------------------------------------------- package access

    synchronized void addLayer(String layer, String outputVar, String afterLayer) {
        if (layerOutputs.containsKey(layer)) {
            throw new InvalidInputException("model already has a layer named '" + layer + "'");
        }
        if (afterLayer == null) {
            layerNames.add(layer);
        } else {
            int at = layerNames.indexOf(afterLayer);
            if (at < 0) {
                throw new InvalidInputException("no layer named '" + afterLayer + "'");
            }
            layerNames.add(at + 1, layer);
        }
        layerOutputs.put(layer, outputVar);
    }

    synchronized void addParameter(String name, ParamInit init) {
        gradientLoss = null;
        parameters.add(name);
        initializers.put(name, init);
    }

    synchronized void addBatchNorm(BatchNormLayer bn) {
        batchNorms.put(bn.name(), bn);
    }

    synchronized Map<String, String> layerOutputMap() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String l : layerNames) {
            out.put(l, layerOutputs.get(l));
        }
        return out;
    }

    synchronized Map<String, ParamInit> initializerMap() {
        Map<String, ParamInit> out = new LinkedHashMap<>();
        for (String p : parameters) {
            out.put(p, initializers.get(p));
        }
        return out;
    }

    synchronized Map<String, String> propertyMap() {
        return new LinkedHashMap<>(properties);
    }

    private void requireParameter(String name) {
        if (!initializers.containsKey(name)) {
            throw new InvalidInputException("model '" + architectureId + "' has no parameter named '" + name
                    + "' (parameters: " + String.join(", ", parameters) + ")");
        }
    }
}
