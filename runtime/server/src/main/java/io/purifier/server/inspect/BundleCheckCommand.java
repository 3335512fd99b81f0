package io.purifier.server.inspect;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.purifier.api.PluginKind;
import io.purifier.server.osgi.PluginServiceProperties;
import io.purifier.server.FileTrees;
import io.purifier.server.osgi.FelixHost;
import io.purifier.server.process.ChildJvm;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.FrameworkWiring;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * {@code purifier worker --check-bundle JAR [--deploy DIR] [--felix-cache DIR]}: the dry run of a bundle upload, in
 * a short-lived child JVM so that a hostile or broken bundle (an activator that never returns, a static
 * initialiser that exits the JVM) costs that process only. A Felix host with the installation's built-in bundles
 * and the other deployed bundles installs the candidate, resolves it against the host, loads every class in it,
 * starts it and waits for the plugin services it registers. Prints one JSON line:
 * {@code {"ok":true,"symbolicName","version","plugins":["defense:id",...]}} or {@code {"ok":false,"error":"..."}}.
 *
 * <p>Exit codes: 0 the bundle passed, 4 it was refused, 2 bad usage, 1 internal failure.</p>
 */
public final class BundleCheckCommand {

    /** The option that selects this mode of {@code purifier worker}. */
    public static final String OPTION = "--check-bundle";

    private static final long PLUGIN_WAIT_MILLIS = 5_000;

    /** A refusal with the reason shown to the uploader. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    private BundleCheckCommand() {
    }

    /** Whether {@code args} (after the {@code worker} command word) select this mode. */
    public static boolean handles(List<String> args) {
        return args.contains(OPTION);
    }

    /** Entry point of the child JVM; {@code -Dpurifier.home} names the installation. */
    public static void main(String[] args) {
        ChildJvm.exitWithParent();
        Path home = Path.of(System.getProperty("purifier.home", ".")).toAbsolutePath().normalize();
        System.exit(runAsProcess(home, List.of(args)));
    }

    /** Runs the check with only the JSON line on standard output; returns the exit code. */
    public static int runAsProcess(Path home, List<String> args) {
        return JsonLineProcess.run(home, args, BundleCheckCommand::run);
    }

    static int run(Path home, List<String> args, PrintStream out) throws Exception {
        Path jar = null;
        Path deploy = null;
        Path cache = null;
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case OPTION -> jar = Path.of(value(args, ++i));
                case "--deploy" -> deploy = Path.of(value(args, ++i));
                case "--felix-cache" -> cache = Path.of(value(args, ++i));
                case "--help", "-h" -> {
                    out.println("Usage: purifier worker --check-bundle JAR [--deploy DIR] [--felix-cache DIR]\n\nResolves, loads, "
                            + "starts JAR beside the installation's bundles and prints one JSON line with the plugins it registers.");
                    return 0;
                }
                default -> throw new IllegalArgumentException("unknown option '" + args.get(i) + "' for worker " + OPTION);
            }
        }
        if (jar == null) {
            throw new IllegalArgumentException(OPTION + " needs a JAR");
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode line = json.createObjectNode();
        Path felixCache = cache != null ? cache : Files.createTempDirectory("purifier-check-felix");
        Path noDeploy = Files.createTempDirectory("purifier-check-deploy");
        int code;
        try (FelixHost felix = FelixHost.start(home.resolve("bundles"), noDeploy, felixCache, 60_000, Map.of())) {
            Bundle bundle = check(felix.context(), jar, deploy, out);
            line.put("ok", true).put("symbolicName", bundle.getSymbolicName()).put("version", bundle.getVersion().toString());
            line.set("plugins", json.valueToTree(plugins(felix.context(), bundle)));
            code = 0;
        } catch (Refused e) {
            line.put("ok", false).put("error", e.getMessage());
            code = InspectModelCommand.REFUSED;
        } finally {
            FileTrees.delete(noDeploy);
            if (cache == null) {
                FileTrees.delete(felixCache);
            }
        }
        out.println(json.writeValueAsString(line));
        return code;
    }

    private static Bundle check(BundleContext context, Path jar, Path deploy, PrintStream out)
            throws Refused, IOException, InterruptedException {
        String bsn = symbolicName(jar);
        installOthers(context, deploy, bsn);
        out.println(InspectModelCommand.READY);
        out.flush();
        Bundle bundle;
        try {
            bundle = context.installBundle(jar.toUri().toString());
        } catch (BundleException e) {
            throw new Refused("the framework refuses to install it: " + e.getMessage());
        }
        FrameworkWiring wiring = context.getBundle(0).adapt(FrameworkWiring.class);
        if (!wiring.resolveBundles(List.of(bundle))) {
            throw new Refused("it does not resolve against the host: " + startError(bundle));
        }
        loadEveryClass(bundle);
        try {
            bundle.start();
        } catch (BundleException | RuntimeException e) {
            throw new Refused("it cannot start: " + (e.getCause() != null ? e.getMessage() + " (" + e.getCause() + ")" : e.getMessage()));
        }
        long deadline = System.nanoTime() + PLUGIN_WAIT_MILLIS * 1_000_000;
        while (plugins(context, bundle).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        List<String> plugins = plugins(context, bundle);
        if (plugins.isEmpty()) {
            throw new Refused("it registers no plugin (no " + String.join(", ", Stream.of(PluginKind.values())
                    .map(k -> k.serviceType().getSimpleName()).toList()) + " service): add a Declarative Services component "
                    + "annotated @PurifierPlugin(id = ..., kind = ...), which sets the properties purifier.id and purifier.kind");
        }
        for (String p : plugins) {
            if (p.endsWith(":?")) {
                throw new Refused("its " + p.substring(0, p.indexOf(':')) + " component does not activate or has no id (see the server log)");
            }
        }
        Optional<String> contract = contractProblem(context, bundle);
        if (contract.isPresent()) {
            throw new Refused(contract.get());
        }
        return bundle;
    }

    private static void installOthers(BundleContext context, Path deploy, String candidate) throws IOException {
        if (deploy == null || !Files.isDirectory(deploy)) {
            return;
        }
        List<Bundle> others = new ArrayList<>();
        try (Stream<Path> jars = Files.list(deploy)) {
            for (Path other : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                try {
                    if (!candidate.equals(symbolicName(other))) {
                        others.add(context.installBundle(other.toUri().toString()));
                    }
                } catch (Refused | BundleException | IOException e) {
                    System.err.println("skipping deployed " + other.getFileName() + ": " + e.getMessage());
                }
            }
        }
        for (Bundle b : others) {
            try {
                b.start();
            } catch (BundleException e) {
                System.err.println("deployed bundle " + b.getSymbolicName() + " does not start: " + e.getMessage());
            }
        }
    }

    private static String symbolicName(Path jar) throws Refused, IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            String bsn = file.getManifest() == null ? null : file.getManifest().getMainAttributes().getValue("Bundle-SymbolicName");
            if (bsn == null) {
                throw new Refused("it has no Bundle-SymbolicName");
            }
            return bsn.split(";", 2)[0].trim();
        }
    }

    private static String startError(Bundle bundle) {
        try {
            bundle.start();
            return "it resolved on a second try";
        } catch (BundleException e) {
            return e.getMessage();
        }
    }

    private static void loadEveryClass(Bundle bundle) throws Refused {
        List<URL> entries = Collections.list(java.util.Objects.requireNonNullElse(bundle.findEntries("/", "*.class", true),
                Collections.emptyEnumeration()));
        for (URL entry : entries) {
            String path = entry.getPath().startsWith("/") ? entry.getPath().substring(1) : entry.getPath();
            if (path.startsWith("META-INF/") || path.endsWith("module-info.class") || path.endsWith("package-info.class")) {
                continue;
            }
            String name = path.substring(0, path.length() - ".class".length()).replace('/', '.');
            try {
                bundle.loadClass(name);
            } catch (ClassNotFoundException | LinkageError e) {
                throw new Refused("its class " + name + " cannot be loaded: " + e);
            }
        }
    }

    /** The first plugin of {@code bundle} whose service properties break the contract ({@link PluginServiceProperties}). */
    static Optional<String> contractProblem(BundleContext context, Bundle bundle) {
        ServiceReference<?>[] refs = bundle.getRegisteredServices();
        for (ServiceReference<?> ref : refs == null ? new ServiceReference<?>[0] : refs) {
            List<String> classes = List.of((String[]) ref.getProperty("objectClass"));
            for (PluginKind kind : PluginKind.values()) {
                if (classes.contains(kind.serviceType().getName())) {
                    Object service = context.getService(ref);
                    try {
                        if (service instanceof io.purifier.api.Plugin p) {
                            Optional<String> problem = PluginServiceProperties.problem(ref, kind, p.id());
                            if (problem.isPresent()) {
                                return problem;
                            }
                        }
                    } finally {
                        if (service != null) {
                            context.ungetService(ref);
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The plugins {@code bundle} registers, as {@code kind:id} ({@code kind:?} when the component fails). */
    static List<String> plugins(BundleContext context, Bundle bundle) {
        List<String> out = new ArrayList<>();
        ServiceReference<?>[] refs = bundle.getRegisteredServices();
        if (refs == null) {
            return out;
        }
        for (ServiceReference<?> ref : refs) {
            List<String> classes = List.of((String[]) ref.getProperty("objectClass"));
            for (PluginKind kind : PluginKind.values()) {
                if (classes.contains(kind.serviceType().getName())) {
                    Object service = context.getService(ref);
                    String id = null;
                    try {
                        id = service instanceof io.purifier.api.Plugin p ? p.id() : null;
                    } catch (RuntimeException | LinkageError e) {
                        System.err.println("plugin of " + bundle.getSymbolicName() + " fails: " + e);
                    } finally {
                        if (service != null) {
                            context.ungetService(ref);
                        }
                    }
                    out.add(kind.jsonName() + ":" + (id == null ? "?" : id));
                }
            }
        }
        return out;
    }

    private static String value(List<String> args, int i) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(args.get(i - 1) + " needs a value");
        }
        return args.get(i);
    }
}
