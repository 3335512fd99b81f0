package io.purifier.engine.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.purifier.api.data.Normalization;
import io.purifier.api.model.ModelFormatException;
import io.purifier.engine.model.BatchNormLayer;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.model.GraphBuilder;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.modelimport.keras.config.KerasModelConfiguration;
import org.deeplearning4j.nn.modelimport.keras.utils.KerasModelBuilder;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Imports a Keras HDF5 classifier (a {@code Sequential} model of {@code Conv2D}, {@code MaxPooling2D},
 * {@code BatchNormalization}, {@code Activation}, {@code Dropout}, {@code Flatten} and {@code Dense} layers,
 * channels_last) into a trainable {@link EngineModel}.
 *
 * <p>DL4J's Keras import ({@code KerasModelBuilder}, the machinery behind {@code KerasModelImport}) reads and
 * validates the file and its weights; the structure is then rebuilt layer by layer with {@link GraphBuilder}
 * under the Keras layer names, so the result has the engine's conventions: NCHW input in [0, 1] with the given
 * normalization, conv weights {@code [out, in, k, k]}, dense weights {@code [in, out]} whose rows after a
 * {@code Flatten} are reordered from Keras's (h, w, c) order to the engine's (c, h, w) order, logits as output
 * (a final softmax is dropped; the engine's losses apply it). Keras batch normalization uses its own epsilon;
 * the engine's is {@value GraphBuilder#BN_EPS}, so the imported running variance is shifted by the difference
 * (inference is unchanged).</p>
 * <p>Length: one converter per supported Keras layer plus the Flatten/Dense row reordering; they share the parsed
 * configuration and the builder state of one import, so the file keeps them together (above 300 lines).</p>
 */
public final class KerasImport {

    /** The architecture id of imported models. */
    public static final String ARCHITECTURE = "keras-import";

    private static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    private static final Set<String> SUPPORTED = Set.of("InputLayer", "Conv2D", "Convolution2D", "MaxPooling2D",
            "MaxPool2D", "BatchNormalization", "Activation", "Dropout", "Flatten", "Dense");
    private static final ObjectMapper JSON = new ObjectMapper();

    private KerasImport() {
    }

    /**
     * Imports a Keras HDF5 file.
     *
     * @param file          the {@code .h5} file (architecture and weights)
     * @param classNames    the output classes, or an empty list for "0".."K-1"
     * @param normalization per-channel normalization the model expects of [0, 1] pixels, or null for identity
     * @return the model (FLOAT)
     * @throws ModelFormatException when the file is missing, not HDF5, not a Keras model, or uses a layer,
     *                              activation or option the import does not support; the message names it
     */
    public static EngineModel load(Path file, List<String> classNames, Normalization normalization) {
        String where = "Keras file '" + file.getFileName() + "'";
        checkSignature(file, where);
        try {
            KerasModelBuilder builder = new KerasModelBuilder(new KerasModelConfiguration())
                    .modelHdf5Filename(file.toString()).enforceTrainingConfig(false);
            List<JsonNode> layers = sequentialLayers(builder.getModelJson(), where);
            int[] inputShape = inputShape(layers, where);
            MultiLayerNetwork net = builder.buildSequential().getMultiLayerNetwork(true);
            Map<String, Layer> byName = new HashMap<>();
            for (Layer l : net.getLayers()) {
                byName.put(l.conf().getLayer().getLayerName(), l);
            }
            return new Converter(where, layers, byName, inputShape, classNames, normalization, file).convert();
        } catch (ModelFormatException e) {
            throw e;
        } catch (Exception | LinkageError e) {
            throw new ModelFormatException(where + " cannot be imported: " + describe(e), e);
        }
    }

    private static void checkSignature(Path file, String where) {
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException(where + " does not exist or is not a file");
        }
        byte[] head = new byte[HDF5_SIGNATURE.length];
        try (InputStream in = Files.newInputStream(file)) {
            int n = in.readNBytes(head, 0, head.length);
            if (n < head.length || !Arrays.equals(head, HDF5_SIGNATURE)) {
                throw new ModelFormatException(where + " is not an HDF5 file (no HDF5 signature at its start)");
            }
        } catch (IOException e) {
            throw new ModelFormatException(where + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static List<JsonNode> sequentialLayers(String modelJson, String where) throws IOException {
        if (modelJson == null) {
            throw new ModelFormatException(where + " has no Keras model_config attribute (weights-only file?)");
        }
        JsonNode root = JSON.readTree(modelJson);
        String kind = root.path("class_name").asText("");
        if (!kind.equals("Sequential")) {
            throw new ModelFormatException(where + ": model type '" + kind + "' not supported (only Sequential)");
        }
        JsonNode config = root.path("config");
        JsonNode layers = config.isArray() ? config : config.path("layers");
        List<JsonNode> list = new ArrayList<>();
        layers.forEach(list::add);
        if (list.isEmpty()) {
            throw new ModelFormatException(where + " has no layers");
        }
        for (JsonNode layer : list) {
            String type = layer.path("class_name").asText("");
            if (!SUPPORTED.contains(type)) {
                throw new ModelFormatException(where + ": layer type " + type + " not supported (layer '"
                        + layer.path("config").path("name").asText("?") + "'); supported: " + SUPPORTED);
            }
        }
        return list;
    }

    /** {@code [channels, height, width]} from the first layer's {@code batch_input_shape} (channels_last). */
    private static int[] inputShape(List<JsonNode> layers, String where) {
        JsonNode shape = layers.get(0).path("config").path("batch_input_shape");
        if (!shape.isArray() || shape.size() != 4) {
            throw new ModelFormatException(where + ": input shape " + shape
                    + " not supported (need [batch, height, width, channels])");
        }
        for (int i = 1; i < 4; i++) {
            if (!shape.get(i).canConvertToInt() || shape.get(i).asInt() <= 0) {
                throw new ModelFormatException(where + ": input shape " + shape + " must have fixed positive sizes");
            }
        }
        return new int[]{shape.get(3).asInt(), shape.get(1).asInt(), shape.get(2).asInt()};
    }

    private static String describe(Throwable e) {
        String msg = e.getMessage();
        Throwable c = e;
        while ((msg == null || msg.isBlank()) && c.getCause() != null) {
            c = c.getCause();
            msg = c.getMessage();
        }
        return c.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
    }

    /** Rebuilds the layers in the engine graph and copies the weights. */
    private static final class Converter {
        private final String where;
        private final List<JsonNode> layers;
        private final Map<String, Layer> dl4j;
        private final int[] input;
        private final List<String> classNames;
        private final Normalization normalization;
        private final Path file;
        private final Map<String, INDArray> weights = new LinkedHashMap<>();
        /** Per-layer running variance shift (Keras epsilon minus the engine's). */
        private final Map<String, Double> varShift = new HashMap<>();

        Converter(String where, List<JsonNode> layers, Map<String, Layer> dl4j, int[] input, List<String> classNames,
                  Normalization normalization, Path file) {
            this.where = where;
            this.layers = layers;
            this.dl4j = dl4j;
            this.input = input;
            this.classNames = classNames;
            this.normalization = normalization;
            this.file = file;
        }

        EngineModel convert() {
            int outputs = outputUnits();
            List<String> names = classNames.isEmpty() ? defaultNames(outputs) : classNames;
            if (names.size() != outputs) {
                throw new ModelFormatException(where + " has " + outputs + " outputs but " + names.size()
                        + " class names were given: " + names);
            }
            Normalization norm = normalization == null ? Normalization.identity(input[0]) : normalization;
            if (norm.channels() != input[0]) {
                throw new ModelFormatException(where + " expects " + input[0] + " input channels but the normalization has "
                        + norm.channels());
            }
            GraphBuilder b = GraphBuilder.create(ARCHITECTURE, Map.of("file", file.getFileName().toString()),
                    input[0], input[1], input[2], names, norm, 0L, DataType.FLOAT);
            long[] shape = {input[0], input[1], input[2]};
            long[] flattenedFrom = null;
            String x = b.input();
            for (int i = 0; i < layers.size(); i++) {
                JsonNode layer = layers.get(i);
                String type = layer.path("class_name").asText();
                JsonNode cfg = layer.path("config");
                String name = cfg.path("name").asText();
                boolean last = i == layers.size() - 1;
                switch (type) {
                    case "InputLayer", "Dropout" -> {
                    }
                    case "Conv2D", "Convolution2D" -> {
                        requireSpatial(shape, name);
                        x = conv(b, x, cfg, name, shape);
                        x = activation(b, x, cfg.path("activation").asText("linear"), name + "_act", name, last);
                    }
                    case "MaxPooling2D", "MaxPool2D" -> {
                        requireSpatial(shape, name);
                        x = maxPool(b, x, cfg, name, shape);
                    }
                    case "BatchNormalization" -> {
                        requireSpatial(shape, name);
                        int axis = cfg.path("axis").isArray() ? cfg.path("axis").get(0).asInt() : cfg.path("axis").asInt(-1);
                        if (axis != 3 && axis != -1) {
                            throw unsupported(name, "batch normalization over axis " + axis + " (only channels, axis 3)");
                        }
                        x = b.batchNorm(name, x, (int) shape[0]);
                        varShift.put(name, cfg.path("epsilon").asDouble(1e-3) - GraphBuilder.BN_EPS);
                        copyBatchNorm(name, (int) shape[0]);
                    }
                    case "Activation" -> x = activation(b, x, cfg.path("activation").asText(), name, name, last);
                    case "Flatten" -> {
                        requireSpatial(shape, name);
                        flattenedFrom = shape;
                        long features = shape[0] * shape[1] * shape[2];
                        x = b.flatten(name, x);
                        shape = new long[]{features};
                    }
                    case "Dense" -> {
                        if (shape.length != 1) {
                            throw unsupported(name, "Dense on a " + shape.length + "-D input (add a Flatten first)");
                        }
                        int units = cfg.path("units").asInt(cfg.path("output_dim").asInt());
                        x = b.dense(name, x, (int) shape[0], units);
                        copyDense(name, (int) shape[0], units, flattenedFrom);
                        flattenedFrom = null;
                        shape = new long[]{units};
                        x = activation(b, x, cfg.path("activation").asText("linear"), name + "_act", name, last);
                    }
                    default -> throw unsupported(name, "layer type " + type);
                }
            }
            if (shape.length != 1 || shape[0] != outputs) {
                throw new ModelFormatException(where + " does not end in a Dense layer giving one output per class");
            }
            EngineModel model = b.finish(x);
            weights.forEach(model::assign);
            for (BatchNormLayer bn : model.batchNormLayers()) {
                Double shift = varShift.get(bn.name());
                if (shift != null) {
                    model.assign(bn.runningVar(), model.array(bn.runningVar()).add(shift));
                }
            }
            model.setProperty("source", "keras");
            return model;
        }

        private int outputUnits() {
            for (int i = layers.size() - 1; i >= 0; i--) {
                if (layers.get(i).path("class_name").asText().equals("Dense")) {
                    JsonNode cfg = layers.get(i).path("config");
                    return cfg.path("units").asInt(cfg.path("output_dim").asInt());
                }
            }
            throw new ModelFormatException(where + " has no Dense output layer");
        }

        private String conv(GraphBuilder b, String x, JsonNode cfg, String name, long[] shape) {
            int[] k = pair(cfg, "kernel_size", name);
            int[] s = pair(cfg, "strides", name);
            int[] d = cfg.has("dilation_rate") ? pair(cfg, "dilation_rate", name) : new int[]{1, 1};
            if (k[0] != k[1] || s[0] != s[1]) {
                throw unsupported(name, "non-square kernel " + Arrays.toString(k) + " or strides " + Arrays.toString(s));
            }
            if (d[0] != 1 || d[1] != 1 || cfg.path("groups").asInt(1) != 1) {
                throw unsupported(name, "dilated or grouped convolution");
            }
            requireChannelsLast(cfg, name);
            String padding = cfg.path("padding").asText("valid");
            int pad;
            if (padding.equals("valid")) {
                pad = 0;
            } else if (padding.equals("same") && s[0] == 1 && k[0] % 2 == 1) {
                pad = k[0] / 2;
            } else {
                throw unsupported(name, "padding '" + padding + "' with kernel " + k[0] + " and stride " + s[0]
                        + " (only valid, or same with stride 1 and an odd kernel)");
            }
            int in = (int) shape[0];
            int out = cfg.path("filters").asInt(cfg.path("nb_filter").asInt());
            boolean bias = cfg.path("use_bias").asBoolean(true);
            String y = b.conv(name, x, in, out, k[0], s[0], pad, bias);
            Layer l = dl4jLayer(name);
            weights.put(name + "/W", expect(l.getParam("W"), name, "kernel", out, in, k[0], k[0]));
            if (bias) {
                weights.put(name + "/b", expect(l.getParam("b"), name, "bias", out));
            }
            shape[0] = out;
            shape[1] = (shape[1] + 2L * pad - k[0]) / s[0] + 1;
            shape[2] = (shape[2] + 2L * pad - k[0]) / s[0] + 1;
            return y;
        }

        private String maxPool(GraphBuilder b, String x, JsonNode cfg, String name, long[] shape) {
            int[] p = pair(cfg, "pool_size", name);
            int[] s = cfg.path("strides").isNull() || cfg.path("strides").isMissingNode() ? p : pair(cfg, "strides", name);
            requireChannelsLast(cfg, name);
            if (p[0] != p[1] || !Arrays.equals(p, s) || !cfg.path("padding").asText("valid").equals("valid")) {
                throw unsupported(name, "max pooling " + Arrays.toString(p) + " stride " + Arrays.toString(s)
                        + " padding " + cfg.path("padding").asText() + " (only square windows, stride = window, valid)");
            }
            shape[1] /= p[0];
            shape[2] /= p[0];
            return b.maxPool(name, x, p[0]);
        }

        private String activation(GraphBuilder b, String x, String activation, String layer, String owner,
                                      boolean last) {
            return switch (activation) {
                case "linear" -> x;
                case "relu" -> b.relu(layer, x);
                case "softmax" -> {
                    if (!last) {
                        throw unsupported(owner, "softmax activation before the output");
                    }
                    yield x;
                }
                default -> throw unsupported(owner, "activation " + activation);
            };
        }

        private void copyDense(String name, int in, int units, long[] flattenedFrom) {
            Layer l = dl4jLayer(name);
            INDArray w = expect(l.getParam("W"), name, "kernel", in, units);
            if (flattenedFrom != null) {
                // Keras flattens channels_last maps in (h, w, c) order, the engine in (c, h, w) order.
                long c = flattenedFrom[0];
                long h = flattenedFrom[1];
                long wd = flattenedFrom[2];
                w = w.reshape('c', h, wd, c, units).permute(2, 0, 1, 3).dup('c').reshape('c', in, units);
            }
            weights.put(name + "/W", w);
            weights.put(name + "/b", expect(l.getParam("b"), name, "bias", units));
        }

        private void copyBatchNorm(String name, int channels) {
            Layer l = dl4jLayer(name);
            BatchNormLayer bn = BatchNormLayer.named(name, channels);
            weights.put(bn.gamma(), expect(l.getParam("gamma"), name, "gamma", channels));
            weights.put(bn.beta(), expect(l.getParam("beta"), name, "beta", channels));
            weights.put(bn.runningMean(), expect(l.getParam("mean"), name, "moving_mean", channels));
            weights.put(bn.runningVar(), expect(l.getParam("var"), name, "moving_variance", channels));
        }

        private Layer dl4jLayer(String name) {
            Layer l = dl4j.get(name);
            if (l == null) {
                throw new ModelFormatException(where + ": no weights were imported for layer '" + name + "'");
            }
            return l;
        }

        private INDArray expect(INDArray values, String layer, String what, long... shape) {
            if (values == null || values.length() != Arrays.stream(shape).reduce(1, (a, c) -> a * c)) {
                throw new ModelFormatException(where + ": layer '" + layer + "' " + what + " has shape "
                        + (values == null ? "none" : Arrays.toString(values.shape())) + ", expected " + Arrays.toString(shape));
            }
            INDArray v = values.castTo(DataType.FLOAT).dup('c');
            return Arrays.equals(v.shape(), shape) ? v : v.reshape('c', shape);
        }

        private int[] pair(JsonNode cfg, String key, String layer) {
            JsonNode v = cfg.path(key);
            if (v.isInt()) {
                return new int[]{v.asInt(), v.asInt()};
            }
            if (!v.isArray() || v.size() != 2) {
                throw unsupported(layer, key + " " + v);
            }
            return new int[]{v.get(0).asInt(), v.get(1).asInt()};
        }

        private void requireChannelsLast(JsonNode cfg, String layer) {
            String format = cfg.path("data_format").asText("channels_last");
            if (!format.equals("channels_last")) {
                throw unsupported(layer, "data_format " + format + " (only channels_last)");
            }
        }

        private void requireSpatial(long[] shape, String layer) {
            if (shape.length != 3) {
                throw unsupported(layer, "a spatial layer after Flatten");
            }
        }

        private ModelFormatException unsupported(String layer, String what) {
            return new ModelFormatException(where + ": " + what + " not supported (layer '" + layer + "')");
        }

        private static List<String> defaultNames(int k) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                names.add(Integer.toString(i));
            }
            return names;
        }
    }
}
