package io.purifier.server.osgi;

import com.fasterxml.jackson.databind.JsonNode;
import io.purifier.api.InvalidInputException;
import io.purifier.server.inspect.BundleChecker;
import org.osgi.framework.Version;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.zip.ZipException;

/**
 * The checks of an uploaded bundle before anything is installed: a zip with an OSGi manifest, a plain symbolic name
 * that is not the host's, no host package at another version ({@link HostCompatibility}), then the dry run in a
 * child JVM ({@link BundleChecker}).
 */
final class UploadedBundleCheck {

    private static final Pattern SYMBOLIC_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

    private final HostCompatibility compatibility;
    private final BundleChecker checker;
    private final Path deployDir;

    UploadedBundleCheck(HostCompatibility compatibility, BundleChecker checker, Path deployDir) {
        this.compatibility = compatibility;
        this.checker = checker;
        this.deployDir = deployDir;
    }

    /** Letters, digits, '_', '-' and single dots, starting with a letter, digit or '_', at most 200 characters. */
    static boolean isPlainSymbolicName(String bsn) {
        return bsn != null && SYMBOLIC_NAME.matcher(bsn).matches() && !bsn.contains("..") && bsn.length() <= 200;
    }

    /**
     * Checks an uploaded file without deploying it: manifest, name, host compatibility, then the dry run in a child
     * process (resolve against the host, load every class, start, at least one plugin registered).
     *
     * @param upload       the uploaded bytes (left in place)
     * @param originalName the client's file name (for messages only)
     * @throws InvalidInputException for a file that would not work, naming the problem
     * @throws BundleDeployer.ConflictException when it would take the name of the host or of a built-in bundle
     */
    BundleDeployer.Checked check(Path upload, String originalName) throws IOException, InterruptedException {
        Manifest manifest = readManifest(upload, originalName);
        Attributes main = manifest.getMainAttributes();
        String manifestVersion = main.getValue("Bundle-ManifestVersion");
        String bsnHeader = main.getValue("Bundle-SymbolicName");
        if (!"2".equals(manifestVersion == null ? null : manifestVersion.trim()) || bsnHeader == null) {
            throw new InvalidInputException("'" + originalName + "' is a jar but not an OSGi bundle: its manifest needs "
                    + "Bundle-ManifestVersion: 2 and a Bundle-SymbolicName (found "
                    + (manifestVersion == null ? "no Bundle-ManifestVersion" : "Bundle-ManifestVersion " + manifestVersion)
                    + (bsnHeader == null ? ", no Bundle-SymbolicName" : "") + ")");
        }
        String bsn = bsnHeader.split(";", 2)[0].trim();
        Version version;
        try {
            version = Version.parseVersion(main.getValue("Bundle-Version"));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("'" + originalName + "' has an invalid Bundle-Version '"
                    + main.getValue("Bundle-Version") + "': " + e.getMessage());
        }
        if (!isPlainSymbolicName(bsn)) {
            throw new InvalidInputException("'" + originalName + "' has an unusable Bundle-SymbolicName '" + bsn
                    + "': use letters, digits, '_', '-' and single dots, starting with a letter, digit or '_'");
        }
        if (compatibility.isHostName(bsn)) {
            throw new BundleDeployer.ConflictException("bundle " + bsn + " is built in or part of the host and cannot be replaced by an upload");
        }
        List<String> problems = compatibility.problems(main);
        if (!problems.isEmpty()) {
            throw new InvalidInputException("bundle " + bsn + " " + version + " ('" + originalName + "') was refused: "
                    + String.join("; ", problems));
        }
        JsonNode checked = checker.check(upload, originalName, deployDir);
        List<String> plugins = new ArrayList<>();
        checked.path("plugins").forEach(p -> plugins.add(p.asText()));
        return new BundleDeployer.Checked(bsn, version.toString(), plugins);
    }

    static Manifest readManifest(Path upload, String originalName) throws IOException {
        try (JarFile jar = new JarFile(upload.toFile())) {
            Manifest manifest;
            try {
                manifest = jar.getManifest();
            } catch (ZipException e) {
                throw e;
            } catch (IOException e) {
                // a truncated or malformed manifest is the file's fault (long fuzz run 4 found it as a 500)
                throw new InvalidInputException("'" + originalName + "' has a META-INF/MANIFEST.MF that cannot be read: "
                        + e.getMessage());
            }
            if (manifest == null) {
                throw new InvalidInputException("'" + originalName + "' is a jar without META-INF/MANIFEST.MF, so not an OSGi bundle");
            }
            return manifest;
        } catch (ZipException e) {
            throw new InvalidInputException("'" + originalName + "' is not a jar (zip) file: " + e.getMessage());
        } catch (SecurityException e) {
            throw new InvalidInputException("'" + originalName + "' has an invalid signature: " + e.getMessage());
        }
    }

}
