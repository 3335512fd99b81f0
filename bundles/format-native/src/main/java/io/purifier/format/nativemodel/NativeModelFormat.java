package io.purifier.format.nativemodel;

import io.purifier.api.PluginProperties;
import io.purifier.api.PurifierPlugin;
import io.purifier.api.model.Model;
import io.purifier.api.model.ModelFormat;
import io.purifier.api.model.ModelFormatException;
import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ResolvedParams;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.model.NativeModelFile;
import org.osgi.service.component.annotations.Component;

import java.nio.file.Path;
import java.util.List;

/**
 * The engine's own model files: a zip holding the SameDiff graph and the model's metadata (architecture and
 * recipe, input shape, classes, normalization, layers, parameters, batch-norm state, frozen set). Loading and
 * saving are bit-exact, so purified models can be downloaded and fed back in.
 */
@Component(service = ModelFormat.class)
@PurifierPlugin(id = "native", kind = PluginProperties.KIND_MODEL_FORMAT)
public final class NativeModelFormat implements ModelFormat {

    @Override
    public String id() {
        return "native";
    }

    @Override
    public String name() {
        return "Purifier native model";
    }

    @Override
    public String description() {
        return "The engine's own model file (.purifier zip with the SameDiff graph and metadata); exact round trip, "
                + "keeps normalization, class names, layers and inserted or masked layers.";
    }

    @Override
    public ParamDescriptor parameters() {
        return ParamDescriptor.none();
    }

    @Override
    public List<String> fileExtensions() {
        return List.of("purifier", "zip");
    }

    @Override
    public Model load(Path file, ResolvedParams params) throws ModelFormatException {
        return NativeModelFile.load(file);
    }

    @Override
    public boolean canSave() {
        return true;
    }

    @Override
    public void save(Model model, Path file) throws ModelFormatException {
        if (!(model instanceof EngineModel engineModel)) {
            throw new ModelFormatException("format 'native' writes only engine models, got a "
                    + (model == null ? "null model" : model.getClass().getName() + " (" + model.info().architecture() + ")"));
        }
        NativeModelFile.save(engineModel, file);
    }
}
