package io.purifier.format.onnx;

import io.purifier.api.PluginProperties;
import io.purifier.api.PurifierPlugin;
import io.purifier.api.model.Model;
import io.purifier.api.model.ModelFormat;
import io.purifier.api.model.ModelFormatException;
import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ParamSpec;
import io.purifier.api.param.ResolvedParams;
import io.purifier.engine.importer.ImportParameters;
import io.purifier.engine.model.EngineModel;
import io.purifier.format.onnx.exporter.OnnxExporter;
import io.purifier.format.onnx.importer.OnnxImporter;
import org.osgi.service.component.annotations.Component;

import java.nio.file.Path;
import java.util.List;

/**
 * ONNX classifiers: imported (operator sets 9 to 17, NCHW images) into trainable engine models by
 * {@link OnnxImporter}, and every engine model written back as ONNX by {@link OnnxExporter}. The protobuf codec is
 * the bundle's own; no ML library is embedded.
 */
@Component(service = ModelFormat.class)
@PurifierPlugin(id = "onnx", kind = PluginProperties.KIND_MODEL_FORMAT)
public final class OnnxModelFormat implements ModelFormat {

    /** The parameters: class names and the input normalization the ONNX model expects. */
    public static final ParamDescriptor DESCRIPTOR = ParamDescriptor.of(
            ParamSpec.text("classNames", "",
                    "Comma-separated class names, one per output; empty gives the file's own (a Purifier export) or "
                            + "\"0\" .. \"K-1\"."),
            ParamSpec.realList("mean", List.of(), -1e6, 1e6,
                    "Per-channel mean subtracted from [0, 1] pixels before the graph's input (as in the model's "
                            + "training transforms); empty with empty std = the file's own (a Purifier export) or none."),
            ParamSpec.realList("std", List.of(), 1e-12, 1e6,
                    "Per-channel divisor applied after the mean; as many values as mean."));

    @Override
    public String id() {
        return "onnx";
    }

    @Override
    public String name() {
        return "ONNX model";
    }

    @Override
    public String description() {
        return "Imports an ONNX image classifier (opsets 9-17, NCHW; Conv, BatchNormalization, Gemm/MatMul, pooling, "
                + "activations, residual additions, Concat, Pad, ...) as written by torch.onnx.export into a trainable "
                + "engine model, and writes every engine model, purified ones included, as ONNX.";
    }

    @Override
    public ParamDescriptor parameters() {
        return DESCRIPTOR;
    }

    @Override
    public List<String> fileExtensions() {
        return List.of("onnx");
    }

    @Override
    public Model load(Path file, ResolvedParams params) {
        return OnnxImporter.load(file, ImportParameters.classNames(params.text("classNames")),
                ImportParameters.normalization(params.realList("mean"), params.realList("std")));
    }

    @Override
    public boolean canSave() {
        return true;
    }

    @Override
    public void save(Model model, Path file) {
        if (!(model instanceof EngineModel engineModel)) {
            throw new ModelFormatException("format 'onnx' writes only engine models, got "
                    + (model == null ? "no model" : "a " + model.getClass().getName() + " ("
                    + model.info().architecture() + ")"));
        }
        OnnxExporter.save(engineModel, file);
    }
}
