package io.purifier.server.osgi;

import io.purifier.api.InvalidInputException;
import io.purifier.api.Plugin;
import io.purifier.api.PluginKind;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.zip.ZipException;

/**
 * Deploys and removes plugin bundles through the watched deploy directory, which stays the single source of
 * truth: an upload is checked, written to a temporary file and moved into place atomically; FileInstall then
 * installs, updates or uninstalls it. Methods wait (bounded) until the framework reflects the change.
 */
public final class BundleDeployer {

    /** Thrown when a request conflicts with the installed bundles (e.g. replacing a built-in bundle). */
    public static final class ConflictException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ConflictException(String message) {
            super(message);
        }
    }

    /** The result of a deployment. */
    public record Deployed(BundleInfo bundle, boolean replaced) {
    }

    private static final Pattern SYMBOLIC_NAME = Pattern.compile("[A-Za-z0-9_.-]+");

    private final FelixHost host;
    private final long waitMillis;

    /**
     * @param host       the framework host
     * @param waitMillis how long to wait for FileInstall to reflect a change
     */
    public BundleDeployer(FelixHost host, long waitMillis) {
        this.host = host;
        this.waitMillis = waitMillis;
    }

    /**
     * Checks an uploaded file and deploys it.
     *
     * @param upload       the uploaded bytes (a temporary file; it is moved or deleted)
     * @param originalName the client's file name (for messages only)
     * @throws InvalidInputException when the file is not a jar, has no valid OSGi manifest, or does not resolve
     * @throws ConflictException     when it would replace a built-in bundle
     */
    public Deployed deploy(Path upload, String originalName) throws IOException, InterruptedException {
        Manifest manifest = readManifest(upload, originalName);
        Attributes main = manifest.getMainAttributes();
        String manifestVersion = main.getValue("Bundle-ManifestVersion");
        String bsnHeader = main.getValue("Bundle-SymbolicName");
        if (!"2".equals(manifestVersion == null ? null : manifestVersion.trim()) || bsnHeader == null) {
            Files.deleteIfExists(upload);
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
            Files.deleteIfExists(upload);
            throw new InvalidInputException("'" + originalName + "' has an invalid Bundle-Version '"
                    + main.getValue("Bundle-Version") + "': " + e.getMessage());
        }
        if (!SYMBOLIC_NAME.matcher(bsn).matches()) {
            Files.deleteIfExists(upload);
            throw new InvalidInputException("'" + originalName + "' has an unusable Bundle-SymbolicName '" + bsn + "'");
        }
        for (Bundle b : host.context().getBundles()) {
            if (bsn.equals(b.getSymbolicName()) && host.isBuiltIn(b)) {
                Files.deleteIfExists(upload);
                throw new ConflictException("bundle " + bsn + " is built in and cannot be replaced by an upload");
            }
        }
        Path target = host.deployDir().resolve(bsn + ".jar");
        boolean replaced = Files.exists(target);
        Path backup = null;
        if (replaced) {
            backup = Files.createTempFile(host.deployDir().getParent(), bsn, ".previous");
            Files.copy(target, backup, StandardCopyOption.REPLACE_EXISTING);
        }
        moveAtomically(upload, target);
        try {
            Bundle bundle = awaitBundle(bsn, version);
            if (bundle.getState() != Bundle.ACTIVE) {
                String reason = startFailure(bundle);
                rollBack(target, backup);
                throw new InvalidInputException("bundle " + bsn + " " + version + " cannot start: " + reason);
            }
            return new Deployed(info(bundle), replaced);
        } finally {
            if (backup != null) {
                Files.deleteIfExists(backup);
            }
        }
    }

    /**
     * Removes a deployed bundle by symbolic name.
     *
     * @return false when no deployed bundle has that name
     * @throws ConflictException when the bundle is built in
     */
    public boolean remove(String bsn) throws IOException, InterruptedException {
        for (Bundle b : host.context().getBundles()) {
            if (bsn.equals(b.getSymbolicName()) && host.isBuiltIn(b)) {
                throw new ConflictException("bundle " + bsn + " is built in and cannot be removed over HTTP");
            }
        }
        Path target = host.deployDir().resolve(bsn + ".jar");
        Optional<Path> file = Files.isRegularFile(target) ? Optional.of(target) : findDeployedFile(bsn);
        if (file.isEmpty()) {
            return false;
        }
        Files.delete(file.get());
        long deadline = System.nanoTime() + waitMillis * 1_000_000;
        while (System.nanoTime() < deadline) {
            if (findBundle(bsn).isEmpty()) {
                return true;
            }
            Thread.sleep(50);
        }
        return true;
    }

    /** Every bundle in the framework, by id. */
    public List<BundleInfo> list() {
        List<BundleInfo> out = new ArrayList<>();
        for (Bundle b : host.context().getBundles()) {
            out.add(info(b));
        }
        return out;
    }

    /** The API view of {@code bundle}. */
    public BundleInfo info(Bundle bundle) {
        Path file = BundleIdentity.locationFile(bundle.getLocation());
        BundleIdentity identity = BundleIdentity.of(bundle);
        return new BundleInfo(bundle.getBundleId(), bundle.getSymbolicName(), bundle.getVersion().toString(),
                state(bundle.getState()), host.isBuiltIn(bundle), file == null ? null : file.getFileName().toString(),
                identity.sha256(), plugins(bundle));
    }

    private List<String> plugins(Bundle bundle) {
        List<String> out = new ArrayList<>();
        ServiceReference<?>[] refs = bundle.getRegisteredServices();
        if (refs == null) {
            return out;
        }
        for (ServiceReference<?> ref : refs) {
            String[] classes = (String[]) ref.getProperty("objectClass");
            for (PluginKind kind : PluginKind.values()) {
                if (List.of(classes).contains(kind.serviceType().getName())) {
                    Object id = ref.getProperty("purifier.id");
                    if (id == null) {
                        Object service = host.context().getService(ref);
                        id = service instanceof Plugin p ? p.id() : "?";
                        host.context().ungetService(ref);
                    }
                    out.add(kind.jsonName() + ":" + id);
                }
            }
        }
        return out;
    }

    private Optional<Path> findDeployedFile(String bsn) {
        return findBundle(bsn).map(b -> BundleIdentity.locationFile(b.getLocation()))
                .filter(p -> p != null && p.startsWith(host.deployDir()));
    }

    private Optional<Bundle> findBundle(String bsn) {
        for (Bundle b : host.context().getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }

    private Bundle awaitBundle(String bsn, Version version) throws InterruptedException {
        long deadline = System.nanoTime() + waitMillis * 1_000_000;
        Bundle seen = null;
        while (System.nanoTime() < deadline) {
            for (Bundle b : host.context().getBundles()) {
                if (bsn.equals(b.getSymbolicName()) && version.equals(b.getVersion())) {
                    seen = b;
                    if (b.getState() == Bundle.ACTIVE) {
                        return b;
                    }
                }
            }
            Thread.sleep(50);
        }
        if (seen == null) {
            throw new IllegalStateException("bundle " + bsn + " " + version + " was not installed within "
                    + waitMillis + " ms of being written to " + host.deployDir());
        }
        return seen;
    }

    private static String startFailure(Bundle bundle) {
        try {
            bundle.start();
            return "it did not become active";
        } catch (BundleException e) {
            return e.getMessage();
        }
    }

    private void rollBack(Path target, Path backup) throws IOException {
        if (backup != null) {
            moveAtomically(backup, target);
        } else {
            Files.deleteIfExists(target);
        }
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        Path tmp = to.resolveSibling("." + to.getFileName() + ".part");
        Files.move(from, tmp, StandardCopyOption.REPLACE_EXISTING);
        try {
            Files.move(tmp, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static Manifest readManifest(Path upload, String originalName) throws IOException {
        try (JarFile jar = new JarFile(upload.toFile())) {
            Manifest manifest = jar.getManifest();
            if (manifest == null) {
                Files.deleteIfExists(upload);
                throw new InvalidInputException("'" + originalName + "' is a jar without META-INF/MANIFEST.MF, so not an OSGi bundle");
            }
            return manifest;
        } catch (ZipException e) {
            Files.deleteIfExists(upload);
            throw new InvalidInputException("'" + originalName + "' is not a jar (zip) file: " + e.getMessage());
        } catch (SecurityException e) {
            Files.deleteIfExists(upload);
            throw new InvalidInputException("'" + originalName + "' has an invalid signature: " + e.getMessage());
        }
    }

    static String state(int state) {
        return switch (state) {
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.ACTIVE -> "ACTIVE";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.UNINSTALLED -> "UNINSTALLED";
            default -> "UNKNOWN(" + state + ")";
        };
    }

    /** Reads an input stream fully into a temporary file below {@code dir}, refusing more than {@code maxBytes}. */
    public static Path spool(InputStream in, Path dir, long maxBytes) throws IOException {
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "upload", ".tmp");
        try (var out = Files.newOutputStream(tmp)) {
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (total > maxBytes) {
                    throw new InvalidInputException("upload exceeds the limit of " + (maxBytes / (1024 * 1024)) + " MB");
                }
                out.write(buffer, 0, n);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return tmp;
    }
}
