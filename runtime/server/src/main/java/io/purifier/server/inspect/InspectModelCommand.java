package io.purifier.server.inspect;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.purifier.api.InvalidInputException;
import io.purifier.api.PluginKind;
import io.purifier.api.model.Model;
import io.purifier.api.model.ModelFormat;
import io.purifier.server.FileTrees;
import io.purifier.server.osgi.FelixHost;
import io.purifier.server.process.ChildJvm;
import io.purifier.server.osgi.PluginRegistry;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code purifier worker --inspect-model FILE --format ID [--params JSON|@FILE] [--felix-cache DIR]}: loads an
 * untrusted model file with the named model format in this (short-lived, resource-limited) process and prints one
 * JSON line on standard output: {@code {"ok":true,"info":{...}}} or {@code {"ok":false,"error":"..."}}. The
 * server starts it through {@code ChildJvm}, so a native crash, a hang or running out of memory while parsing ends
 * this process, never the server.
 *
 * <p>A Felix host with the installation's built-in ({@code bundles/}) and deployed ({@code deploy/}) bundles
 * provides the format, as in the server. Everything else the process prints goes to standard error.</p>
 *
 * <p>Exit codes: 0 the model loaded, 4 the file (or its parameters) was refused, 2 bad usage, 1 internal failure.</p>
 */
public final class InspectModelCommand {

    /** The option that selects this mode of {@code purifier worker}. */
    public static final String OPTION = "--inspect-model";
    /** The line printed once the framework is up and the format found, just before the file is read. */
    public static final String READY = "READY";
    /** How long a checking child may take to start up before its own time limit begins. */
    public static final java.time.Duration STARTUP_LIMIT = java.time.Duration.ofSeconds(120);
    /** Exit code when the file or its parameters were refused (the JSON line says why). */
    public static final int REFUSED = 4;

    private static final long FORMAT_WAIT_MILLIS = 20_000;

    /**
     * The parsed options.
     *
     * @param file       the model file
     * @param formatId   the model-format plugin id
     * @param params     raw format parameters
     * @param felixCache the framework cache directory, or null for a temporary one
     */
    record Options(Path file, String formatId, Map<String, Object> params, Path felixCache) {
    }

    private InspectModelCommand() {
    }

    /** Whether {@code args} (after the {@code worker} command word) select the inspect mode. */
    public static boolean handles(List<String> args) {
        return args.contains(OPTION);
    }

    /** Entry point of the child JVM; {@code -Dpurifier.home} names the installation. */
    public static void main(String[] args) {
        ChildJvm.exitWithParent();
        Path home = Path.of(System.getProperty("purifier.home", ".")).toAbsolutePath().normalize();
        System.exit(runAsProcess(home, List.of(args)));
    }

    /**
     * Runs the inspection as the whole process: only the JSON line goes to standard output (everything else the
     * framework and the plugins print is sent to standard error).
     *
     * @return the exit code
     */
    public static int runAsProcess(Path home, List<String> args) {
        return JsonLineProcess.run(home, args, InspectModelCommand::run);
    }

    /**
     * Runs the inspection and prints the JSON line on {@code out}.
     *
     * @return the exit code
     * @throws IllegalArgumentException for bad usage
     */
    public static int run(Path home, List<String> args, PrintStream out) throws Exception {
        if (args.contains("--help") || args.contains("-h")) {
            out.println("Usage: purifier worker --inspect-model FILE --format ID [--params JSON|@FILE] [--felix-cache DIR]\n\n"
                    + "Loads FILE with the model format ID in this process and prints one JSON line: {\"ok\":true,\"info\":{...}} "
                    + "or {\"ok\":false,\"error\":\"...\"}. The server runs it in a child process to check uploads.");
            return 0;
        }
        ObjectMapper json = new ObjectMapper();
        Options options = parse(args, json);
        ObjectNode line = json.createObjectNode();
        int code;
        try {
            line.set("info", inspect(home, options, json, out));
            line.put("ok", true);
            code = 0;
        } catch (InvalidInputException e) {
            line.put("ok", false).put("error", e.getMessage());
            code = REFUSED;
        } catch (OutOfMemoryError e) {
            line.put("ok", false).put("error", "reading it ran out of memory (" + e.getMessage() + ")");
            code = REFUSED;
        }
        out.println(json.writeValueAsString(line));
        return code;
    }

    private static ObjectNode inspect(Path home, Options o, ObjectMapper json, PrintStream out) throws Exception {
        Path cache = o.felixCache() != null ? o.felixCache() : Files.createTempDirectory("purifier-inspect-felix");
        try (FelixHost felix = FelixHost.start(home.resolve("bundles"), home.resolve("deploy"), cache, 60_000, Map.of());
             PluginRegistry registry = new PluginRegistry(felix.context())) {
            PluginRegistry.Found<ModelFormat> format = awaitFormat(registry, o.formatId());
            out.println(READY);
            out.flush();
            Model model;
            try {
                model = format.plugin().load(o.file(), format.plugin().parameters().resolve(o.params()));
            } catch (InvalidInputException e) {
                throw e;
            } catch (Exception | LinkageError | StackOverflowError e) {
                throw new InvalidInputException("format '" + o.formatId() + "' cannot read it: " + e, e);
            }
            if (model == null) {
                throw new InvalidInputException("format '" + o.formatId() + "' returned no model");
            }
            return ModelInfoJson.of(model.info(), json);
        } finally {
            if (o.felixCache() == null) {
                FileTrees.delete(cache);
            }
        }
    }

    private static PluginRegistry.Found<ModelFormat> awaitFormat(PluginRegistry registry, String id) throws InterruptedException {
        long deadline = System.nanoTime() + FORMAT_WAIT_MILLIS * 1_000_000;
        while (true) {
            Optional<PluginRegistry.Found<ModelFormat>> found = registry.find(PluginKind.MODEL_FORMAT, id, ModelFormat.class);
            if (found.isPresent()) {
                return found.get();
            }
            if (System.nanoTime() > deadline) {
                throw new InvalidInputException("unknown model format '" + id + "' (installed: "
                        + registry.ids(PluginKind.MODEL_FORMAT) + ")");
            }
            Thread.sleep(50);
        }
    }

    static Options parse(List<String> args, ObjectMapper json) throws IOException {
        Path file = null;
        String format = null;
        Map<String, Object> params = new LinkedHashMap<>();
        Path cache = null;
        List<String> rest = new ArrayList<>(args);
        for (int i = 0; i < rest.size(); i++) {
            String arg = rest.get(i);
            switch (arg) {
                case OPTION -> file = Path.of(value(rest, ++i, arg));
                case "--format" -> format = value(rest, ++i, arg);
                case "--params" -> params = params(value(rest, ++i, arg), json);
                case "--felix-cache" -> cache = Path.of(value(rest, ++i, arg));
                default -> throw new IllegalArgumentException("unknown option '" + arg + "' for worker " + OPTION);
            }
        }
        if (file == null || format == null || format.isBlank()) {
            throw new IllegalArgumentException(OPTION + " needs FILE and --format ID");
        }
        return new Options(file, format, params, cache);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> params(String value, ObjectMapper json) throws IOException {
        String text = value.startsWith("@") ? Files.readString(Path.of(value.substring(1)), StandardCharsets.UTF_8) : value;
        try {
            Object parsed = json.readValue(text, Object.class);
            if (!(parsed instanceof Map)) {
                throw new IllegalArgumentException("--params must be a JSON object, got " + text);
            }
            return (Map<String, Object>) parsed;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("--params is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i);
    }
}
