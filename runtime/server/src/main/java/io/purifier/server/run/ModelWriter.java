package io.purifier.server.run;

import io.purifier.api.PluginKind;
import io.purifier.api.model.ModelFormat;
import io.purifier.api.model.Model;
import io.purifier.server.osgi.ComponentInfo;
import io.purifier.server.osgi.PluginLookup;
import io.purifier.server.osgi.PluginRegistry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Saves a defense's purified model into the step's artifact directory, so it can be downloaded: with the native
 * format when it can, otherwise with the first installed format that can save this model.
 */
final class ModelWriter {

    private static final String PREFERRED = "native";

    private final PluginLookup plugins;

    ModelWriter(PluginLookup plugins) {
        this.plugins = plugins;
    }

    /** Writes {@code model} as {@code purified-model.<ext>}; when no format can, says so in the run log. */
    void save(Model model, StepContext ctx) {
        List<ComponentInfo> formats = plugins.list(PluginKind.MODEL_FORMAT).stream()
                .filter(ComponentInfo::canSave)
                .sorted(Comparator.comparing(info -> !PREFERRED.equals(info.id())))
                .toList();
        for (ComponentInfo info : formats) {
            Optional<PluginRegistry.Found<ModelFormat>> format = plugins.find(PluginKind.MODEL_FORMAT, info.id(), ModelFormat.class);
            if (format.isEmpty()) {
                continue;
            }
            String ext = info.fileExtensions().isEmpty() ? "model" : info.fileExtensions().get(0);
            Path file = ctx.artifactDir().resolve("purified-model." + ext);
            try {
                format.get().plugin().save(model, file);
                ctx.log("saved the purified model as " + file.getFileName() + " (format " + info.id() + ")");
                return;
            } catch (Exception | LinkageError e) {
                ctx.log("format " + info.id() + " cannot save this model: " + e.getMessage());
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // best effort clean-up of a partial file
                }
            }
        }
        ctx.warn("no installed model format could save the purified model; it is not downloadable");
    }
}
