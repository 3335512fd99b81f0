package io.purifier.testkit;

import io.purifier.api.model.Model;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.model.NativeModelFile;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** A model's exact content as bytes (the engine's native file), for "unchanged" and "identical" checks. */
public final class ModelBytes {

    private ModelBytes() {
    }

    /**
     * The content of the native model file of {@code model}: each entry's name and bytes (metadata, properties,
     * every array), without the zip's timestamps.
     */
    public static byte[] of(Model model) throws IOException {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(file(model)))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                content.write(e.getName().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                content.write(0);
                zip.transferTo(content);
            }
        }
        return content.toByteArray();
    }

    private static byte[] file(Model model) throws IOException {
        if (!(model instanceof EngineModel engineModel)) {
            throw new AssertionError("expected an engine model, got " + (model == null ? "null" : model.getClass().getName()));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NativeModelFile.write(engineModel, out);
        return out.toByteArray();
    }

    /** Only the arrays (weights, running statistics, masks) of {@code model}, in the native file's order. */
    public static byte[] arrays(Model model) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(file(model)))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (e.getName().equals(NativeModelFile.ARRAYS_ENTRY)) {
                    return zip.readAllBytes();
                }
            }
        }
        throw new AssertionError("the native model file has no " + NativeModelFile.ARRAYS_ENTRY);
    }
}
