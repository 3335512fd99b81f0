package io.purifier.format.keras;

import io.purifier.api.PluginProperties;
import io.purifier.api.PurifierPlugin;
import io.purifier.api.model.Model;
import io.purifier.api.model.ModelFormat;
import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ParamSpec;
import io.purifier.api.param.ResolvedParams;
import io.purifier.engine.importer.ImportParameters;
import io.purifier.engine.importer.KerasImport;
import org.osgi.service.component.annotations.Component;

import java.nio.file.Path;
import java.util.List;

/**
 * Keras HDF5 classifiers ({@code Sequential} CNNs saved with {@code model.save("x.h5")}), imported into trainable
 * engine models by {@link KerasImport}. Read only.
 */
@Component(service = ModelFormat.class)
@PurifierPlugin(id = "keras-h5", kind = PluginProperties.KIND_MODEL_FORMAT)
public final class KerasModelFormat implements ModelFormat {

    /** The parameters: class names and the input normalization the Keras model expects. */
    public static final ParamDescriptor DESCRIPTOR = ParamDescriptor.of(
            ParamSpec.text("classNames", "",
                    "Comma-separated class names, one per output; empty gives \"0\" .. \"K-1\"."),
            ParamSpec.realList("mean", List.of(), -1e6, 1e6,
                    "Per-channel mean subtracted from [0, 1] pixels before the first layer; empty with empty std = none."),
            ParamSpec.realList("std", List.of(), 1e-12, 1e6,
                    "Per-channel divisor applied after the mean; as many values as mean."));

    @Override
    public String id() {
        return "keras-h5";
    }

    @Override
    public String name() {
        return "Keras HDF5 model";
    }

    @Override
    public String description() {
        return "Imports a Keras Sequential CNN (Conv2D, MaxPooling2D, BatchNormalization, Activation, Dropout, "
                + "Flatten, Dense; ReLU/softmax; channels_last) from an .h5 file into a trainable engine model.";
    }

    @Override
    public ParamDescriptor parameters() {
        return DESCRIPTOR;
    }

    @Override
    public List<String> fileExtensions() {
        return List.of("h5", "hdf5", "keras");
    }

    @Override
    public Model load(Path file, ResolvedParams params) {
        return KerasImport.load(file, ImportParameters.classNames(params.text("classNames")),
                ImportParameters.normalization(params.realList("mean"), params.realList("std")));
    }
}
