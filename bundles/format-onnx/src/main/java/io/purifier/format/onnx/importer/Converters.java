package io.purifier.format.onnx.importer;

import java.util.Map;
import java.util.TreeMap;

/** The converter of every supported ONNX operator (default domain), by operator name. */
final class Converters {

    private static final Map<String, NodeConverter> BY_OP = new TreeMap<>();

    static {
        LayerConverters.register(BY_OP);
        ActivationConverters.register(BY_OP);
        PoolConverters.register(BY_OP);
        ArithmeticConverters.register(BY_OP);
        ShapeConverters.register(BY_OP);
        ConstantConverters.register(BY_OP);
    }

    private Converters() {
    }

    /** The converter for {@code opType}, or null when the operator is not supported. */
    static NodeConverter of(String opType) {
        return BY_OP.get(opType);
    }

    /** The supported operators, sorted. */
    static String supported() {
        return String.join(", ", BY_OP.keySet());
    }
}
