package io.purifier.server.osgi;

import io.purifier.api.InvalidInputException;
import io.purifier.api.Plugin;
import io.purifier.api.PluginKind;
import io.purifier.server.inspect.BundleChecker;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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

    /**
     * The result of a deployment.
     *
     * @param bundle   the bundle now in service
     * @param replaced whether it replaced a deployed bundle of the same symbolic name
     * @param plugins  the plugins it registers ({@code kind:id})
     */
    public record Deployed(BundleInfo bundle, boolean replaced, List<String> plugins) {
    }

    /**
     * The result of a dry run: what the bundle is and what it registers.
     *
     * @param symbolicName its symbolic name
     * @param version      its version
     * @param plugins      the plugins it registers ({@code kind:id})
     */
    public record Checked(String symbolicName, String version, List<String> plugins) {
    }

    private final FelixHost host;
    private final long waitMillis;
    private final UploadedBundleCheck uploadCheck;

    /**
     * @param host       the framework host
     * @param waitMillis how long a deployed bundle may take to become active with its plugins
     * @param checker    the dry run in a child process
     */
    public BundleDeployer(FelixHost host, long waitMillis, BundleChecker checker) {
        this.host = host;
        this.waitMillis = waitMillis;
        this.uploadCheck = new UploadedBundleCheck(HostCompatibility.of(host), checker, host.deployDir());
    }

    /**
     * Checks an uploaded file without deploying it ({@link UploadedBundleCheck}).
     *
     * @param upload       the uploaded bytes (left in place)
     * @param originalName the client's file name (for messages only)
     */
    public Checked check(Path upload, String originalName) throws IOException, InterruptedException {
        return uploadCheck.check(upload, originalName);
    }

    /**
     * Checks an uploaded file ({@link #check}) and deploys it: written to the deploy directory atomically, then
     * awaited until the framework runs this very file (a re-upload of the same version included) with its plugins
     * registered. A bundle that does not get there in time is rolled back (the previous file restored, or the new one
     * removed) and refused.
     *
     * @param upload       the uploaded bytes (a temporary file; it is moved or deleted)
     * @param originalName the client's file name (for messages only)
     */
    public Deployed deploy(Path upload, String originalName) throws IOException, InterruptedException {
        Checked checked;
        try {
            checked = check(upload, originalName);
        } catch (RuntimeException | IOException | InterruptedException e) {
            Files.deleteIfExists(upload);
            throw e;
        }
        String bsn = checked.symbolicName();
        Version version = Version.parseVersion(checked.version());
        Path target = host.deployDir().resolve(bsn + ".jar");
        boolean replaced = Files.exists(target);
        Path backup = null;
        if (replaced) {
            backup = Files.createTempFile(host.deployDir().getParent(), bsn, ".previous");
            Files.copy(target, backup, StandardCopyOption.REPLACE_EXISTING);
        }
        long written = System.currentTimeMillis() - 1;
        moveAtomically(upload, target);
        try {
            Optional<Bundle> bundle = awaitInService(bsn, version, written);
            if (bundle.isEmpty()) {
                String state = findBundle(bsn).map(b -> state(b.getState())).orElse("not installed");
                rollBack(bsn, target, backup);
                throw new InvalidInputException("bundle " + bsn + " " + version + " was not in service within " + waitMillis
                        + " ms of being deployed (state: " + state + "); it was rolled back"
                        + (replaced ? " to the previous file" : " and removed from the deploy directory"));
            }
            return new Deployed(info(bundle.get()), replaced, checked.plugins());
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
        if (!UploadedBundleCheck.isPlainSymbolicName(bsn)) {
            return false;
        }
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

    /** The bundle once it is ACTIVE from a file written at or after {@code written} with a plugin registered. */
    private Optional<Bundle> awaitInService(String bsn, Version version, long written) throws InterruptedException {
        long deadline = System.nanoTime() + waitMillis * 1_000_000;
        while (System.nanoTime() < deadline) {
            for (Bundle b : host.context().getBundles()) {
                if (bsn.equals(b.getSymbolicName()) && version.equals(b.getVersion()) && b.getState() == Bundle.ACTIVE
                        && b.getLastModified() >= written && !plugins(b).isEmpty()) {
                    return Optional.of(b);
                }
            }
            Thread.sleep(50);
        }
        return Optional.empty();
    }

    /** Restores the previous file (or removes the new one) and waits, bounded, until the framework follows. */
    private void rollBack(String bsn, Path target, Path backup) throws IOException, InterruptedException {
        if (backup != null) {
            moveAtomically(backup, target);
            return;
        }
        Files.deleteIfExists(target);
        long deadline = System.nanoTime() + waitMillis * 1_000_000;
        while (findBundle(bsn).isPresent() && System.nanoTime() < deadline) {
            Thread.sleep(50);
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
}
