package io.purifier.engine.model;

import io.purifier.api.data.Normalization;
import io.purifier.api.model.ModelFormatException;
import io.purifier.engine.nn.ArraySpec;
import io.purifier.engine.nn.ArrayStore;
import io.purifier.engine.nn.Layer;
import io.purifier.engine.nn.LayerTypes;
import io.purifier.engine.nn.Network;
import io.purifier.engine.nn.Node;
import io.purifier.engine.tensor.Buf;
import io.purifier.engine.tensor.Tensors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The contents of a version-2 {@link NativeModelFile}: metadata as a JSON map, arrays as one binary stream. */
final class ModelFileLayout {

    private final EngineModel model;

    private ModelFileLayout(EngineModel model) {
        this.model = model;
    }

    static ModelFileLayout of(EngineModel model) {
        return new ModelFileLayout(model);
    }

    Map<String, Object> metadata() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", NativeModelFile.FORMAT);
        m.put("version", NativeModelFile.VERSION);
        m.put("architecture", model.architectureId());
        m.put("recipe", model.recipe());
        m.put("seed", model.seed());
        var info = model.info();
        m.put("channels", info.channels());
        m.put("height", info.height());
        m.put("width", info.width());
        m.put("classNames", info.classNames());
        m.put("normalization", Map.of("mean", info.normalization().mean(), "std", info.normalization().std()));
        m.put("dataType", model.dataType().name());
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (Node n : model.network().nodes()) {
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("name", n.name());
            node.put("type", n.layer().type());
            node.put("attributes", n.layer().attributes());
            node.put("inputs", n.inputs());
            nodes.add(node);
        }
        m.put("nodes", nodes);
        m.put("output", model.network().output());
        List<Map<String, Object>> layers = new ArrayList<>();
        model.network().taps().forEach((layer, node) -> layers.add(Map.of("name", layer, "node", node)));
        m.put("layers", layers);
        List<Map<String, Object>> arrays = new ArrayList<>();
        model.arrays().entries().forEach((name, e) -> {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("name", name);
            a.put("kind", e.kind().name());
            a.put("init", e.init().kind().name());
            a.put("scale", e.init().scale());
            a.put("shape", e.array().shape());
            arrays.add(a);
        });
        m.put("arrays", arrays);
        m.put("frozen", List.copyOf(model.frozenParameters()));
        m.put("properties", model.properties());
        return m;
    }

    /** Writes every array's elements, in metadata order, little-endian in the model's type. */
    void writeArrays(OutputStream out) throws IOException {
        boolean dbl = model.dataType() == DataType.DOUBLE;
        for (ArrayStore.Entry e : model.arrays().entries().values()) {
            Buf b = Buf.of(Tensors.dense(e.array(), model.dataType()));
            ByteBuffer bytes = ByteBuffer.allocate(b.length() * (dbl ? 8 : 4)).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < b.length(); i++) {
                if (dbl) {
                    bytes.putDouble(b.get(i));
                } else {
                    bytes.putFloat((float) b.get(i));
                }
            }
            out.write(bytes.array());
        }
    }

    @SuppressWarnings("unchecked")
    static EngineModel read(Map<String, Object> m, InputStream arrays, long available, String source) throws IOException {
        Map<String, Object> norm = (Map<String, Object>) m.get("normalization");
        Normalization normalization = new Normalization(doubles((List<Number>) norm.get("mean")),
                doubles((List<Number>) norm.get("std")));
        DataType dt = DataType.valueOf((String) m.get("dataType"));
        if (dt != DataType.FLOAT && dt != DataType.DOUBLE) {
            throw new IllegalArgumentException("data type " + dt + " is not FLOAT or DOUBLE");
        }
        Network net = new Network();
        for (Map<String, Object> n : (List<Map<String, Object>>) m.get("nodes")) {
            Layer layer = LayerTypes.create((String) n.get("type"), (Map<String, Object>) n.get("attributes"));
            net.add(new Node((String) n.get("name"), layer, (List<String>) n.get("inputs")));
        }
        net.setOutput((String) m.get("output"));
        net.validate();
        for (Map<String, Object> l : (List<Map<String, Object>>) m.get("layers")) {
            net.tap((String) l.get("name"), (String) l.get("node"), null);
        }
        ArrayStore store = new ArrayStore();
        DataInputStream in = new DataInputStream(arrays);
        long remaining = available;
        int width = dt == DataType.DOUBLE ? 8 : 4;
        for (Map<String, Object> a : (List<Map<String, Object>>) m.get("arrays")) {
            String name = (String) a.get("name");
            long[] shape = ((List<Number>) a.get("shape")).stream().mapToLong(Number::longValue).toArray();
            long count = Tensors.volume(shape);
            if (count < 0 || count * width > remaining) {
                throw new ModelFormatException(source + ": " + NativeModelFile.ARRAYS_ENTRY + " is shorter than the "
                        + "arrays its metadata lists (at '" + name + "')");
            }
            byte[] raw = new byte[Math.toIntExact(count * width)];
            in.readFully(raw);
            remaining -= raw.length;
            ByteBuffer bytes = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
            INDArray arr = Tensors.create(dt, shape);
            Buf b = Buf.of(arr);
            for (int i = 0; i < count; i++) {
                b.set(i, dt == DataType.DOUBLE ? bytes.getDouble() : bytes.getFloat());
            }
            ParamInit init = new ParamInit(ParamInit.Kind.valueOf((String) a.get("init")),
                    ((Number) a.get("scale")).doubleValue());
            store.add(name, arr, ArraySpec.Kind.valueOf((String) a.get("kind")), init);
        }
        if (remaining != 0) {
            throw new ModelFormatException(source + ": " + NativeModelFile.ARRAYS_ENTRY + " has " + remaining
                    + " bytes more than its metadata lists");
        }
        checkArrays(net, store, source);
        EngineModel model = new EngineModel((String) m.get("architecture"), (Map<String, Object>) m.get("recipe"),
                (Integer) m.get("channels"), (Integer) m.get("height"), (Integer) m.get("width"),
                (List<String>) m.get("classNames"), normalization, ((Number) m.get("seed")).longValue(), dt, net, store);
        model.freeze((List<String>) m.get("frozen"));
        ((Map<String, Object>) m.get("properties")).forEach((k, v) -> model.setProperty(k, String.valueOf(v)));
        net.shapes(new long[]{1, (Integer) m.get("channels"), (Integer) m.get("height"), (Integer) m.get("width")});
        return model;
    }

    /** Every layer's arrays exist with the shapes the layer declares. */
    private static void checkArrays(Network net, ArrayStore store, String source) {
        for (Node n : net.nodes()) {
            for (ArraySpec spec : n.layer().arrays()) {
                String name = n.array(spec.suffix());
                if (!store.has(name)) {
                    throw new ModelFormatException(source + ": layer '" + n.name() + "' needs array '" + name
                            + "', which the file does not have");
                }
                long[] shape = store.get(name).shape();
                if (!Arrays.equals(shape, spec.shape())) {
                    throw new ModelFormatException(source + ": array '" + name + "' has shape "
                            + Arrays.toString(shape) + " but its layer needs " + Arrays.toString(spec.shape()));
                }
            }
        }
    }

    private static double[] doubles(List<Number> values) {
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i).doubleValue();
        }
        return out;
    }
}
