package io.purifier.server.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.purifier.api.InvalidInputException;
import io.purifier.server.FileTrees;
import io.purifier.server.process.ChildJvm;
import io.purifier.server.process.ChildResult;
import io.purifier.server.web.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Checks an uploaded model file in a child JVM ({@link InspectModelCommand}) with a time limit and memory caps,
 * so that a file that crashes the native parser, hangs it or exhausts memory costs one short-lived process and a
 * 400 naming the file, never the server. At most {@code concurrent} inspections run at once; the others wait up to
 * the time limit and are then refused with 503.
 */
public final class ModelInspector {

    private static final Logger LOG = LoggerFactory.getLogger(ModelInspector.class);

    /**
     * Resource limits of one inspection.
     *
     * @param timeout      wall-clock limit of the child process
     * @param heapBytes    its Java heap cap
     * @param offHeapBytes its JavaCPP (ND4J, HDF5) off-heap cap
     * @param concurrent   inspections allowed at once
     */
    public record Limits(Duration timeout, long heapBytes, long offHeapBytes, int concurrent) {
    }

    private final Path home;
    private final Path scratchRoot;
    private final Limits limits;
    private final ObjectMapper json;
    private final Semaphore slots;

    /**
     * @param home        the installation (its bundles/ and deploy/ provide the formats; lib/ the class path)
     * @param scratchRoot where each inspection gets a working directory (deleted afterwards)
     * @param limits      the child's limits
     * @param json        the JSON mapper
     */
    public ModelInspector(Path home, Path scratchRoot, Limits limits, ObjectMapper json) {
        this.home = home;
        this.scratchRoot = scratchRoot;
        this.limits = limits;
        this.json = json;
        this.slots = new Semaphore(limits.concurrent(), true);
    }

    /**
     * Loads {@code file} with format {@code formatId} in a child process and returns the model's metadata as JSON.
     *
     * @param file        the uploaded file
     * @param displayName the client's file name, used in messages instead of the server path
     * @param formatId    the model-format plugin id
     * @param params      the format's resolved parameters
     * @throws InvalidInputException when the format refuses the file, or reading it crashed, hung or ran out of memory
     * @throws ApiException          503 when too many inspections are waiting
     */
    public JsonNode inspect(Path file, String displayName, String formatId, Map<String, Object> params)
            throws IOException, InterruptedException {
        if (!slots.tryAcquire(limits.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
            throw new ApiException(503, "too many model uploads are being checked at once; try again in a minute");
        }
        Path scratch = Files.createDirectories(scratchRoot).resolve("inspect-" + UUID.randomUUID());
        try {
            Files.createDirectories(scratch);
            Path paramsFile = scratch.resolve("params.json");
            Files.writeString(paramsFile, json.writeValueAsString(params));
            ChildResult result = ChildJvm.forMainClass(InspectModelCommand.class.getName(), home)
                    .args(List.of(InspectModelCommand.OPTION, file.toAbsolutePath().toString(), "--format", formatId,
                            "--params", "@" + paramsFile, "--felix-cache", scratch.resolve("felix-cache").toString()))
                    .systemProperty("purifier.home", home.toAbsolutePath().toString())
                    .heapBytes(limits.heapBytes()).offHeapBytes(limits.offHeapBytes()).timeout(limits.timeout())
                    .readyWhen(InspectModelCommand.READY, InspectModelCommand.STARTUP_LIMIT)
                    .outputCap(256 * 1024).directory(scratch)
                    .build().run();
            return interpret(result, file, displayName, formatId);
        } finally {
            slots.release();
            try {
                FileTrees.delete(scratch);
            } catch (IOException e) {
                LOG.warn("cannot delete the inspection directory {}: {}", scratch, e.getMessage());
            }
        }
    }

    private JsonNode interpret(ChildResult result, Path file, String displayName, String formatId) {
        JsonNode line = lastJsonLine(json, result.stdout());
        if (result.succeeded() && line != null && line.path("ok").asBoolean() && line.path("info").isObject()) {
            return line.get("info");
        }
        if (!result.timedOut() && result.exitCode() == InspectModelCommand.REFUSED && line != null) {
            String error = scrub(line.path("error").asText("no reason given"), file, displayName);
            throw new InvalidInputException("'" + displayName + "' is not a readable " + formatId + " model: " + error);
        }
        LOG.warn("model check of '{}' (format {}) {}; its last output: {}", displayName, formatId, result.describe(),
                tail(result.stderr(), 2000));
        throw new InvalidInputException("'" + displayName + "' was refused: reading it with format '" + formatId + "' "
                + result.describe() + " (it was read in a separate process; the server is unaffected)");
    }

    /** The last line of {@code stdout} that is a JSON object, or null. */
    static JsonNode lastJsonLine(ObjectMapper json, String stdout) {
        String[] lines = stdout.split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            String line = lines[i].trim();
            if (line.startsWith("{")) {
                try {
                    return json.readTree(line);
                } catch (IOException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /** Replaces the server-side path of the upload (and its directory) by the client's file name. */
    static String scrub(String message, Path file, String displayName) {
        String abs = file.toAbsolutePath().toString();
        String out = message.replace(abs, displayName);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            out = out.replace(parent + "/", "").replace(parent.toString(), "(upload)");
        }
        return out.replace(file.getFileName().toString(), displayName);
    }

    static String tail(String text, int max) {
        return text.length() <= max ? text : "..." + text.substring(text.length() - max);
    }
}
