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

    /**
     * Writes {@code model} as {@code purified-model.<ext>}: in each of {@code requested} (format ids the validator
     * checked), or when none are requested with the native format if it can, else the first installed format that
     * can; a format that fails is named in the run log.
     */
    void save(Model model, StepContext ctx, List<String> requested) {
        List<ComponentInfo> installed = plugins.list(PluginKind.MODEL_FORMAT);
        if (!requested.isEmpty()) {
            for (String id : requested) {
                Optional<ComponentInfo> info = installed.stream().filter(i -> i.id().equals(id)).findFirst();
                Optional<PluginRegistry.Found<ModelFormat>> format = plugins.find(PluginKind.MODEL_FORMAT, id, ModelFormat.class);
                if (info.isEmpty() || format.isEmpty() || !trySave(model, ctx, info.get(), format.get().plugin())) {
                    ctx.warn("the purified model could not be saved in format " + id
                            + (format.isEmpty() ? " (no longer installed)" : ""));
                }
            }
            return;
        }
        List<ComponentInfo> formats = installed.stream()
                .filter(ComponentInfo::canSave)
                .sorted(Comparator.comparing(info -> !PREFERRED.equals(info.id())))
                .toList();
        for (ComponentInfo info : formats) {
            Optional<PluginRegistry.Found<ModelFormat>> format = plugins.find(PluginKind.MODEL_FORMAT, info.id(), ModelFormat.class);
            if (format.isPresent() && trySave(model, ctx, info, format.get().plugin())) {
                return;
            }
        }
        ctx.warn("no installed model format could save the purified model; it is not downloadable");
    }

    /** Saves {@code model} as {@code purified-model.<first extension>}; false (logged, no file left) when it fails. */
    private static boolean trySave(Model model, StepContext ctx, ComponentInfo info, ModelFormat format) {
        String id = info.id();
        String ext = info.fileExtensions().isEmpty() ? "model" : info.fileExtensions().get(0);
        Path file = ctx.artifactDir().resolve("purified-model." + ext);
        try {
            format.save(model, file);
            ctx.log("saved the purified model as " + file.getFileName() + " (format " + id + ")");
            return true;
        } catch (Exception | LinkageError e) {
            ctx.log("format " + id + " cannot save this model: " + e.getMessage());
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // best effort clean-up of a partial file
            }
            return false;
        }
    }
}
