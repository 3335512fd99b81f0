package io.purifier.engine.model;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.Normalization;
import io.purifier.api.model.ModelFormatException;
import io.purifier.api.param.ResolvedParams;
import io.purifier.engine.blocks.ChannelMask;
import io.purifier.engine.zoo.Architecture;
import io.purifier.engine.zoo.InputSpec;
import io.purifier.engine.zoo.ModelZoo;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads version-1 model files, written while models were SameDiff graphs: the zoo architecture named in the metadata
 * is rebuilt with its recipe and seed, and every array is copied from the graph by name; channel masks are
 * re-applied. Files holding anything else (imported Keras models, inserted polarizers) cannot be converted and say
 * so.
 */
final class LegacyModelFile {

    /** The graph entry of version-1 files. */
    static final String GRAPH_ENTRY = "graph.fb";
    private static final String MASK_SUFFIX = "/channel_mask";

    private LegacyModelFile() {
    }

    @SuppressWarnings("unchecked")
    static EngineModel convert(Map<String, Object> m, byte[] graph, String source) {
        if (graph == null) {
            throw new ModelFormatException(source + " is a damaged Purifier model file: missing " + GRAPH_ENTRY);
        }
        SameDiff sd;
        try {
            sd = SameDiff.load(new ByteArrayInputStream(graph), false);
        } catch (RuntimeException | Error e) {
            throw new ModelFormatException(source + ": " + GRAPH_ENTRY + " is not a readable SameDiff graph ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        }
        String architecture = (String) m.get("architecture");
        Architecture arch;
        try {
            arch = ModelZoo.architecture(architecture);
        } catch (InvalidInputException e) {
            throw new ModelFormatException(source + " is a version-1 model file of architecture '" + architecture
                    + "', which this version cannot convert (only zoo models); import the model again", e);
        }
        try {
            Map<String, Object> norm = (Map<String, Object>) m.get("normalization");
            InputSpec spec = new InputSpec((Integer) m.get("channels"), (Integer) m.get("height"),
                    (Integer) m.get("width"), (List<String>) m.get("classNames"),
                    new Normalization(doubles((List<Number>) norm.get("mean")), doubles((List<Number>) norm.get("std"))));
            ResolvedParams recipe = arch.parameters().resolve((Map<String, Object>) m.get("recipe"));
            EngineModel model = arch.create(recipe, spec, ((Number) m.get("seed")).longValue());
            List<String> unknown = new ArrayList<>();
            for (var v : sd.variables()) {
                String name = v.name();
                if (name.endsWith(MASK_SUFFIX) && sd.getArrForVarName(name) != null) {
                    applyMask(model, name, sd.getArrForVarName(name));
                } else if (isStored(v) && !model.hasArray(name)) {
                    unknown.add(name);
                }
            }
            if (!unknown.isEmpty()) {
                throw new ModelFormatException(source + " is a version-1 model file with layers this version cannot "
                        + "convert (" + String.join(", ", unknown) + "); run the defense again on the original model");
            }
            for (String name : model.arrays().names()) {
                INDArray value = sd.hasVariable(name) ? sd.getArrForVarName(name) : null;
                if (value != null) {
                    model.assign(name, value.castTo(model.dataType()).reshape(model.array(name).shape()));
                }
            }
            model.freeze((List<String>) m.get("frozen"));
            ((Map<String, Object>) m.get("properties")).forEach((k, v) -> model.setProperty(k, String.valueOf(v)));
            return model;
        } catch (ClassCastException | NullPointerException | IllegalArgumentException | InvalidInputException e) {
            throw new ModelFormatException(source + ": version-1 metadata is malformed (" + e.getMessage() + ")", e);
        }
    }

    private static boolean isStored(org.nd4j.autodiff.samediff.SDVariable v) {
        var type = v.getVariableType();
        return (type == org.nd4j.autodiff.samediff.VariableType.VARIABLE
                || type == org.nd4j.autodiff.samediff.VariableType.CONSTANT)
                && !v.name().startsWith("norm/") && !v.name().endsWith("/train_gate")
                && !v.name().startsWith("npd.loss/");
    }

    private static void applyMask(EngineModel model, String name, INDArray mask) {
        String layer = name.substring(0, name.length() - MASK_SUFFIX.length());
        boolean[] keep = new boolean[(int) mask.length()];
        for (int i = 0; i < keep.length; i++) {
            keep[i] = mask.getDouble(i) != 0;
        }
        ChannelMask.apply(model, layer, keep);
    }

    private static double[] doubles(List<Number> values) {
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i).doubleValue();
        }
        return out;
    }
}
