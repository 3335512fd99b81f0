package io.purifier.server.fuzz;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.purifier.api.InvalidInputException;
import io.purifier.api.PluginKind;
import io.purifier.api.model.ModelFormat;
import io.purifier.server.osgi.FelixHost;
import io.purifier.server.osgi.PluginRegistry;
import io.purifier.server.process.ChildJvm;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.wiring.FrameworkWiring;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The parser-level half of the file fuzzer, run in a child JVM by {@link FormatFuzzer}: one Felix host with the
 * installation's bundles, then every file listed in a file from a given index on, each loaded with a model format
 * (or installed, resolved, started and uninstalled as a bundle), one JSON line per file on standard output:
 * {@code {"i", "outcome": "loaded|refused|unexpected", "message"}} after a {@code BEGIN i} line. A file that crashes,
 * hangs or exhausts this JVM leaves its {@code BEGIN} line last, and the driver restarts after it.
 *
 * <p>Arguments: {@code HOME model FORMAT|bundle LISTFILE FIRST}.</p>
 */
public final class FormatFuzzHarness {

    private FormatFuzzHarness() {
    }

    public static void main(String[] args) throws Exception {
        ChildJvm.exitWithParent();
        PrintStream out = System.out;
        System.setOut(System.err);
        Path home = Path.of(args[0]);
        boolean bundles = args[1].equals("bundle");
        String formatId = bundles ? null : args[2];
        List<String> files = Files.readAllLines(Path.of(args[bundles ? 2 : 3]));
        int first = Integer.parseInt(args[bundles ? 3 : 4]);
        ObjectMapper json = new ObjectMapper();
        try (FelixHost felix = FelixHost.start(home.resolve("bundles"), Files.createTempDirectory("fuzz-deploy"),
                Files.createTempDirectory("fuzz-felix"), 60_000, Map.of());
             PluginRegistry registry = new PluginRegistry(felix.context())) {
            ModelFormat format = null;
            if (!bundles) {
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (format == null && System.nanoTime() < deadline) {
                    format = registry.find(PluginKind.MODEL_FORMAT, formatId, ModelFormat.class).map(PluginRegistry.Found::plugin).orElse(null);
                    Thread.sleep(20);
                }
                if (format == null) {
                    throw new IllegalStateException("no model format " + formatId);
                }
            }
            for (int i = first; i < files.size(); i++) {
                out.println("BEGIN " + i);
                out.flush();
                String outcome;
                String message;
                try {
                    message = bundles ? bundle(felix, Path.of(files.get(i))) : model(format, Path.of(files.get(i)));
                    outcome = "loaded";
                } catch (InvalidInputException | BundleException e) {
                    outcome = "refused";
                    message = e.getMessage();
                } catch (OutOfMemoryError e) {
                    out.println(json.writeValueAsString(Map.of("i", i, "outcome", "oom", "message", String.valueOf(e.getMessage()))));
                    out.flush();
                    Runtime.getRuntime().halt(3);
                    return;
                } catch (Exception | LinkageError | StackOverflowError e) {
                    outcome = "unexpected";
                    message = e.toString();
                }
                out.println(json.writeValueAsString(Map.of("i", i, "outcome", outcome, "message",
                        message == null ? "" : message.substring(0, Math.min(300, message.length())))));
                out.flush();
            }
        }
        out.println("END");
        out.flush();
        System.exit(0);
    }

    private static String model(ModelFormat format, Path file) {
        var model = format.load(file, format.parameters().resolve(Map.of()));
        return model == null ? "no model" : model.info().inputShape();
    }

    private static String bundle(FelixHost felix, Path file) throws BundleException {
        Bundle b = felix.context().installBundle(file.toUri().toString());
        try {
            if (!felix.context().getBundle(0).adapt(FrameworkWiring.class).resolveBundles(List.of(b))) {
                throw new BundleException("does not resolve");
            }
            b.start();
            return b.getSymbolicName() + " " + b.getVersion();
        } finally {
            b.uninstall();
        }
    }
}
