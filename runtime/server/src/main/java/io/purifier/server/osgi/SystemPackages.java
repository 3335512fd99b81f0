package io.purifier.server.osgi;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Computes {@code org.osgi.framework.system.packages.extra} from the host class path, so bundles can import the
 * API, ND4J/DL4J and the engine from the system bundle. Jars with an OSGi {@code Export-Package} header contribute
 * exactly that (with versions); plain jars contribute every package holding classes, versioned from their Maven
 * metadata. Host-private jars (framework, web server, database, the server itself, the tools that embed it) are
 * skipped.
 */
public final class SystemPackages {

    /** Jar-name patterns that stay private to the host. */
    public static final List<Pattern> DEFAULT_EXCLUDES = Stream.of(
            "org\\.apache\\.felix\\.framework-.*", "purifier-server-.*", "javalin-.*", "jetty-.*", "websocket-.*",
            "kotlin-stdlib.*", "annotations-13\\..*", "h2-.*", "flyway-.*", "slf4j-simple-.*",
            "junit-.*", "opentest4j-.*", "apiguardian-.*", "mockito-.*", "byte-buddy.*", "objenesis-.*",
            "surefire-.*", "common-java5-.*", "common-junit.*", "selenium-.*",
            // tools beside a server in the same JVM (bin/purifier-bench): their classes are no plugin API
            "purifier-bench-.*", "purifier-api-client-.*")
            .map(Pattern::compile).toList();

    private static final Pattern VERSION_ATTR = Pattern.compile(";\\s*version\\s*=\\s*\"?([^\";,]+)\"?");

    private SystemPackages() {
    }

    /** Computes the export list for the current JVM's class path. */
    public static String compute() {
        return compute(classPath(), DEFAULT_EXCLUDES);
    }

    /** The entries of {@code java.class.path}. */
    public static List<Path> classPath() {
        List<Path> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                entries.add(Path.of(entry));
            }
        }
        return entries;
    }

    /**
     * Computes the export clause for {@code entries} (jars or class directories), skipping names matching
     * {@code excludes}. The first entry exporting a package wins.
     */
    public static String compute(List<Path> entries, List<Pattern> excludes) {
        Map<String, String> packages = new LinkedHashMap<>();
        for (Path entry : entries) {
            String name = entry.getFileName() == null ? "" : entry.getFileName().toString();
            if (excludes.stream().anyMatch(p -> p.matcher(name).matches()) || isServerClasses(entry)) {
                continue;
            }
            try {
                if (Files.isDirectory(entry)) {
                    scanDirectory(entry, packages);
                } else if (Files.isRegularFile(entry) && name.endsWith(".jar")) {
                    scanJar(entry, packages);
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read class-path entry " + entry + ": " + e.getMessage(), e);
            }
        }
        StringBuilder clause = new StringBuilder();
        packages.forEach((pkg, version) -> {
            if (clause.length() > 0) {
                clause.append(',');
            }
            clause.append(pkg).append(";version=\"").append(version).append('"');
        });
        return clause.toString();
    }

    private static boolean isServerClasses(Path entry) {
        return Files.isDirectory(entry.resolve("io/purifier/server"));
    }

    private static void scanJar(Path jar, Map<String, String> packages) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String exports = manifest == null ? null : manifest.getMainAttributes().getValue("Export-Package");
            if (exports != null && !exports.isBlank()) {
                addExportHeader(exports, packages);
                return;
            }
            String version = osgiVersion(mavenVersion(file, manifest, jar));
            Enumeration<JarEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                JarEntry e = entries.nextElement();
                addClassPackage(e.getName(), version, packages);
            }
        }
    }

    private static void scanDirectory(Path dir, Map<String, String> packages) throws IOException {
        Path manifestFile = dir.resolve("META-INF/MANIFEST.MF");
        if (Files.isRegularFile(manifestFile)) {
            try (InputStream in = Files.newInputStream(manifestFile)) {
                String exports = new Manifest(in).getMainAttributes().getValue("Export-Package");
                if (exports != null && !exports.isBlank()) {
                    addExportHeader(exports, packages);
                    return;
                }
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(Files::isRegularFile)
                    .forEach(f -> addClassPackage(dir.relativize(f).toString().replace(File.separatorChar, '/'), "0.0.0", packages));
        }
    }

    private static void addClassPackage(String entryName, String version, Map<String, String> packages) {
        if (!entryName.endsWith(".class") || entryName.startsWith("META-INF/")) {
            return;
        }
        int slash = entryName.lastIndexOf('/');
        if (slash <= 0) {
            return;
        }
        String pkg = entryName.substring(0, slash).replace('/', '.');
        if (pkg.startsWith("java.") || pkg.startsWith("org.osgi.") || pkg.contains("-")) {
            return;
        }
        packages.putIfAbsent(pkg, version);
    }

    /** Adds each package of an {@code Export-Package} header with its version, dropping other directives. */
    static void addExportHeader(String header, Map<String, String> packages) {
        for (String clause : splitClauses(header)) {
            String[] parts = clause.split(";", 2);
            String pkg = parts[0].trim();
            if (pkg.isEmpty() || pkg.startsWith("java.") || pkg.startsWith("org.osgi.")) {
                continue;
            }
            String version = "0.0.0";
            if (parts.length > 1) {
                Matcher m = VERSION_ATTR.matcher(";" + parts[1]);
                if (m.find()) {
                    version = m.group(1).trim();
                }
            }
            packages.putIfAbsent(pkg, version);
        }
    }

    /** Splits a manifest header at commas that are outside quotes. */
    static List<String> splitClauses(String header) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (char c : header.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                out.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        if (current.length() > 0) {
            out.add(current.toString());
        }
        return out;
    }

    private static String mavenVersion(JarFile file, Manifest manifest, Path jar) throws IOException {
        Enumeration<JarEntry> entries = file.entries();
        while (entries.hasMoreElements()) {
            JarEntry e = entries.nextElement();
            if (e.getName().startsWith("META-INF/maven/") && e.getName().endsWith("/pom.properties")) {
                Properties p = new Properties();
                try (InputStream in = file.getInputStream(e)) {
                    p.load(in);
                }
                if (p.getProperty("version") != null) {
                    return p.getProperty("version");
                }
            }
        }
        if (manifest != null) {
            String v = manifest.getMainAttributes().getValue(Attributes.Name.IMPLEMENTATION_VERSION);
            if (v != null) {
                return v;
            }
        }
        Matcher m = Pattern.compile("-(\\d+(?:\\.\\d+)*(?:[-.][A-Za-z0-9_.-]+)?)\\.jar$").matcher(jar.getFileName().toString());
        return m.find() ? m.group(1) : "0.0.0";
    }

    /** Converts a Maven version to a valid OSGi version ({@code 1.0.0-M2.1} → {@code 1.0.0.M2_1}). */
    static String osgiVersion(String maven) {
        Matcher m = Pattern.compile("^(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?(.*)$").matcher(maven.trim());
        if (!m.matches()) {
            return "0.0.0";
        }
        String major = m.group(1);
        String minor = m.group(2) == null ? "0" : m.group(2);
        String micro = m.group(3) == null ? "0" : m.group(3);
        String rest = m.group(4).replaceAll("^[-.]", "").replaceAll("[^A-Za-z0-9_-]", "_");
        return major + "." + minor + "." + micro + (rest.isEmpty() ? "" : "." + rest);
    }
}
