package io.purifier.engine.model;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.purifier.api.InvalidInputException;
import io.purifier.api.model.ModelFormatException;
import io.purifier.data.BoundedZip;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The engine's own model file: a zip with {@value #METADATA_ENTRY} (architecture, recipe, input shape, classes,
 * normalization, the network's nodes and public layers, every array's name, kind, initialiser and shape, the frozen
 * set, properties) and {@value #ARRAYS_ENTRY} (the arrays' values, little-endian, in the model's data type). The
 * round trip is bit-exact. Version 1 files (a SameDiff graph, written before the engine executed its own networks)
 * are converted on reading by {@link LegacyModelFile}.
 */
public final class NativeModelFile {

    /** The metadata entry name. */
    public static final String METADATA_ENTRY = "purifier-model.json";
    /** The arrays entry name. */
    public static final String ARRAYS_ENTRY = "arrays.bin";
    /** The {@code format} value in the metadata. */
    public static final String FORMAT = "purifier-native";
    /** The metadata version this class writes. */
    public static final int VERSION = 2;

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private NativeModelFile() {
    }

    /**
     * Writes {@code model} to {@code file} (atomically: a temporary file next to it is moved into place).
     *
     * @throws ModelFormatException when the file cannot be written
     */
    public static void save(EngineModel model, Path file) throws ModelFormatException {
        Path dir = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            try {
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    write(model, out);
                }
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new ModelFormatException("cannot write model file " + file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a model written by {@link #save}.
     *
     * @throws ModelFormatException when the file is missing, not a zip, not a Purifier model, of a newer version, or
     *                              its arrays do not match its metadata
     */
    public static EngineModel load(Path file) throws ModelFormatException {
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException("model file " + file.getFileName() + " does not exist or is not a file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.getFileName().toString());
        } catch (IOException e) {
            throw new ModelFormatException("cannot read model file " + file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    /** Writes the zip to {@code out} (not closed). */
    public static void write(EngineModel model, OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        synchronized (model) {
            ModelFileLayout layout = ModelFileLayout.of(model);
            zip.putNextEntry(new ZipEntry(METADATA_ENTRY));
            zip.write(JSON.writeValueAsBytes(layout.metadata()));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry(ARRAYS_ENTRY));
            layout.writeArrays(zip);
            zip.closeEntry();
        }
        zip.finish();
    }

    /**
     * Reads a zip from {@code in}.
     *
     * @param source names the source in error messages
     * @throws ModelFormatException when the content is not a valid Purifier native model
     */
    public static EngineModel read(InputStream in, String source) throws ModelFormatException {
        Map<String, byte[]> entries;
        try {
            entries = BoundedZip.read(in, Set.of(METADATA_ENTRY, ARRAYS_ENTRY, LegacyModelFile.GRAPH_ENTRY),
                    BoundedZip.Limits.forModels(), source);
        } catch (InvalidInputException e) {
            throw new ModelFormatException(source + " is not a Purifier model file: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ModelFormatException("cannot read " + source + ": " + e.getMessage(), e);
        }
        byte[] meta = entries.get(METADATA_ENTRY);
        if (meta == null) {
            throw new ModelFormatException(source + " is not a Purifier model file: missing " + METADATA_ENTRY);
        }
        Map<String, Object> m;
        try {
            m = JSON.readValue(meta, new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new ModelFormatException(source + ": " + METADATA_ENTRY + " is not valid JSON (" + e.getMessage() + ")", e);
        }
        if (!FORMAT.equals(m.get("format"))) {
            throw new ModelFormatException(source + ": " + METADATA_ENTRY + " has format " + m.get("format")
                    + ", expected " + FORMAT);
        }
        if (!(m.get("version") instanceof Integer v) || v > VERSION || v < 1) {
            throw new ModelFormatException(source + ": unsupported model file version " + m.get("version")
                    + " (this engine reads versions 1 to " + VERSION + ")");
        }
        if (v == 1) {
            return LegacyModelFile.convert(m, entries.get(LegacyModelFile.GRAPH_ENTRY), source);
        }
        byte[] arrays = entries.get(ARRAYS_ENTRY);
        if (arrays == null) {
            throw new ModelFormatException(source + " is a damaged Purifier model file: missing " + ARRAYS_ENTRY);
        }
        try {
            return ModelFileLayout.read(m, new ByteArrayInputStream(arrays), arrays.length, source);
        } catch (IOException e) {
            throw new ModelFormatException(source + ": " + ARRAYS_ENTRY + " cannot be read (" + e.getMessage() + ")", e);
        } catch (ClassCastException | NullPointerException | IllegalArgumentException | IllegalStateException
                 | InvalidInputException e) {
            throw new ModelFormatException(source + ": " + METADATA_ENTRY + " is malformed (" + e.getMessage() + ")", e);
        }
    }
}
