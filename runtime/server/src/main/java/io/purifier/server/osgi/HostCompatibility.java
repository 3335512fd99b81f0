package io.purifier.server.osgi;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Version;
import org.osgi.framework.VersionRange;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleWiring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

/**
 * Checks an uploaded bundle's manifest against what the host provides, before anything is installed: it may not
 * take the symbolic name of the host, of a jar on the host class path or of a built-in bundle; it may not export a
 * package the host exports at another version (its classes would hide the host's from every later plugin); and it
 * may not import a host package at a version range the host's version is outside of. Each problem names the
 * package and the version the host exports.
 */
public final class HostCompatibility {

    private final Map<String, Version> hostPackages;
    private final Set<String> hostNames;

    HostCompatibility(Map<String, Version> hostPackages, Set<String> hostNames) {
        this.hostPackages = hostPackages;
        this.hostNames = hostNames;
    }

    /** What the running framework's system bundle exports, and the names of host jars and built-in bundles. */
    public static HostCompatibility of(FelixHost host) {
        BundleContext context = host.context();
        Bundle system = context.getBundle(0);
        Map<String, Version> packages = new HashMap<>();
        BundleWiring wiring = system.adapt(BundleWiring.class);
        for (BundleCapability c : wiring.getCapabilities(PackageNamespace.PACKAGE_NAMESPACE)) {
            Object name = c.getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE);
            Object version = c.getAttributes().get(PackageNamespace.CAPABILITY_VERSION_ATTRIBUTE);
            if (name != null) {
                packages.putIfAbsent(name.toString(), version instanceof Version v ? v : Version.emptyVersion);
            }
        }
        Set<String> names = new HashSet<>(classPathSymbolicNames());
        names.add(system.getSymbolicName());
        names.add("system.bundle");
        for (Bundle b : context.getBundles()) {
            if (host.isBuiltIn(b) && b.getSymbolicName() != null) {
                names.add(b.getSymbolicName());
            }
        }
        return new HostCompatibility(packages, names);
    }

    private static Set<String> classPathSymbolicNames() {
        Set<String> names = new HashSet<>();
        for (Path entry : SystemPackages.classPath()) {
            if (!Files.isRegularFile(entry) || !entry.toString().endsWith(".jar")) {
                continue;
            }
            try (JarFile jar = new JarFile(entry.toFile())) {
                Attributes main = jar.getManifest() == null ? null : jar.getManifest().getMainAttributes();
                String bsn = main == null ? null : main.getValue("Bundle-SymbolicName");
                if (bsn != null) {
                    names.add(bsn.split(";", 2)[0].trim());
                }
            } catch (IOException e) {
                // an unreadable class-path jar contributes no name
            }
        }
        return names;
    }

    /** Whether {@code symbolicName} belongs to the host (framework, a host jar, a built-in bundle). */
    public boolean isHostName(String symbolicName) {
        return hostNames.contains(symbolicName);
    }

    /** Every problem of {@code main} (a manifest's main attributes) with the host; empty when compatible. */
    public List<String> problems(Attributes main) {
        List<String> problems = new ArrayList<>();
        for (HeaderClauses.Clause c : HeaderClauses.parse(main.getValue("Export-Package"))) {
            Version host = hostPackages.get(c.path());
            if (host != null) {
                Version own = version(c.attributes().get("version"));
                if (!own.equals(host)) {
                    problems.add("it exports the host package " + c.path() + " at version " + own
                            + ", but the host exports " + c.path() + " " + host + " (a bundle may not replace host packages)");
                }
            }
        }
        for (HeaderClauses.Clause c : HeaderClauses.parse(main.getValue("Import-Package"))) {
            Version host = hostPackages.get(c.path());
            String range = c.attributes().get("version");
            if (host != null && range != null && !range(range, c.path()).includes(host)) {
                problems.add("it imports " + c.path() + " at version " + range + ", but the host exports "
                        + c.path() + " " + host);
            }
        }
        return problems;
    }

    private static Version version(String text) {
        try {
            return text == null ? Version.emptyVersion : Version.parseVersion(text.trim());
        } catch (IllegalArgumentException e) {
            return Version.emptyVersion;
        }
    }

    private static VersionRange range(String text, String pkg) {
        try {
            return VersionRange.valueOf(text.trim());
        } catch (IllegalArgumentException e) {
            throw new io.purifier.api.InvalidInputException("the import of " + pkg + " has an invalid version range '"
                    + text + "': " + e.getMessage());
        }
    }
}
