package io.purifier.api.model;

import io.purifier.api.Plugin;
import io.purifier.api.param.ResolvedParams;

import java.nio.file.Path;
import java.util.List;

/**
 * Reads model files of one format into {@link Model}s, and optionally writes them.
 *
 * <p>A corrupt or unsupported file must produce a {@link ModelFormatException} that names the problem
 * ("layer type X not supported", "not an HDF5 file"), never another exception type or a crash.</p>
 */
@org.osgi.annotation.versioning.ConsumerType
public interface ModelFormat extends Plugin {

    /** File name endings this format reads, without dots (for example {@code ["h5"]}). */
    List<String> fileExtensions();

    /**
     * Loads a model.
     *
     * @param file   the model file
     * @param params resolved parameters (for example class names or input normalization for formats that
     *               do not store them)
     * @throws ModelFormatException when the file is not valid in this format
     */
    Model load(Path file, ResolvedParams params) throws ModelFormatException;

    /** Whether {@link #save} is supported. */
    default boolean canSave() {
        return false;
    }

    /**
     * Writes {@code model} to {@code file}.
     *
     * @throws ModelFormatException when this model cannot be expressed in this format
     */
    default void save(Model model, Path file) throws ModelFormatException {
        throw new ModelFormatException("format '" + id() + "' cannot write models");
    }
}
