package io.purifier.server.run;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The uploaded models a pipeline may start from, as files: in the server from its model store, in a worker process
 * from the files it downloaded for its run.
 */
@FunctionalInterface
public interface StoredModels {

    /**
     * An uploaded model ready to load.
     *
     * @param id       the model's id ({@code m-…})
     * @param formatId the model-format plugin that reads it
     * @param params   the format's parameters as stored at upload
     * @param sha256   the file's SHA-256
     * @param file     where the file is
     */
    record StoredModelFile(String id, String formatId, JsonNode params, String sha256, Path file) {
    }

    /** The model with {@code id}, if it (still) exists. */
    Optional<StoredModelFile> find(String id);
}
