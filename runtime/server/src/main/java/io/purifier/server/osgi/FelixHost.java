package io.purifier.server.osgi;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * The embedded Felix framework: system-bundle exports computed from the class path, boot bundles from one
 * directory (SCR, FileInstall, built-in plugins), and FileInstall watching the deploy directory.
 */
public final class FelixHost implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FelixHost.class);

    private final Framework framework;
    private final Path bootDir;
    private final Path deployDir;

    private FelixHost(Framework framework, Path bootDir, Path deployDir) {
        this.framework = framework;
        this.bootDir = bootDir;
        this.deployDir = deployDir;
    }

    /**
     * Starts the framework and every bundle in {@code bootDir}.
     *
     * @param bootDir    bundles installed and started at boot (sorted by file name)
     * @param deployDir  directory FileInstall watches (created if missing)
     * @param cacheDir   framework storage (cleaned at every start: boot/ and deploy/ are the source of truth)
     * @param pollMillis FileInstall poll interval
     * @param extra      further framework properties (override the defaults)
     */
    public static FelixHost start(Path bootDir, Path deployDir, Path cacheDir, long pollMillis, Map<String, String> extra)
            throws BundleException, IOException {
        List<Path> jars = new ArrayList<>();
        if (Files.isDirectory(bootDir)) {
            try (Stream<Path> list = Files.list(bootDir)) {
                jars.addAll(list.filter(p -> p.toString().endsWith(".jar")).sorted().toList());
            }
        }
        return start(jars, bootDir, deployDir, cacheDir, pollMillis, extra);
    }

    /**
     * Starts the framework with exactly {@code bundleJars} as its boot bundles (a worker installs the bundles of its
     * run's ticket this way).
     *
     * @param bundleJars the jars to install and start, in this order
     * @param deployDir  directory FileInstall watches (created if missing)
     * @param cacheDir   framework storage (cleaned at start)
     * @param pollMillis FileInstall poll interval
     * @param extra      further framework properties
     */
    public static FelixHost start(List<Path> bundleJars, Path deployDir, Path cacheDir, long pollMillis, Map<String, String> extra)
            throws BundleException, IOException {
        return start(bundleJars, null, deployDir, cacheDir, pollMillis, extra);
    }

    private static FelixHost start(List<Path> bootJars, Path bootDir, Path deployDir, Path cacheDir, long pollMillis,
                                   Map<String, String> extra) throws BundleException, IOException {
        Files.createDirectories(deployDir);
        Files.createDirectories(cacheDir);
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, cacheDir.toAbsolutePath().toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, SystemPackages.compute());
        config.put(Constants.FRAMEWORK_BUNDLE_PARENT, Constants.FRAMEWORK_BUNDLE_PARENT_BOOT);
        config.put("org.osgi.framework.bsnversion", "managed");
        config.put("felix.log.level", "1");
        config.put("ds.loglevel", "warn");
        config.put("felix.fileinstall.dir", deployDir.toAbsolutePath().toString());
        config.put("felix.fileinstall.poll", Long.toString(pollMillis));
        config.put("felix.fileinstall.noInitialDelay", "true");
        config.put("felix.fileinstall.bundles.new.start", "true");
        config.put("felix.fileinstall.filter", ".*\\.jar");
        config.put("felix.fileinstall.log.level", "2");
        config.put("felix.fileinstall.bundles.startTransient", "false");
        config.put("felix.fileinstall.active.level", "1");
        config.putAll(extra);

        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi FrameworkFactory on the class path"));
        Framework framework = factory.newFramework(config);
        framework.init();
        framework.start();
        FelixHost host = new FelixHost(framework, bootDir, deployDir);
        host.installBootBundles(bootJars);
        return host;
    }

    private void installBootBundles(List<Path> jars) throws BundleException {
        BundleContext ctx = framework.getBundleContext();
        List<Bundle> installed = new ArrayList<>();
        for (Path jar : jars) {
            installed.add(ctx.installBundle(jar.toUri().toString()));
        }
        for (Bundle bundle : installed) {
            if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                try {
                    bundle.start();
                } catch (BundleException e) {
                    LOG.error("built-in bundle {} did not start: {}", bundle.getSymbolicName(), e.getMessage());
                }
            }
        }
        LOG.info("started {} built-in bundles from {}", installed.size(), bootDir == null ? "the given jars" : bootDir);
    }

    /** The system bundle's context. */
    public BundleContext context() {
        return framework.getBundleContext();
    }

    /** The directory of built-in bundles. */
    public Path bootDir() {
        return bootDir;
    }

    /** The watched deploy directory. */
    public Path deployDir() {
        return deployDir;
    }

    /** Whether {@code bundle} was installed from the boot directory (or is the framework itself). */
    public boolean isBuiltIn(Bundle bundle) {
        return bundle.getBundleId() == 0
                || (bootDir != null && bundle.getLocation().startsWith(bootDir.toAbsolutePath().toUri().toString()));
    }

    /** Stops the framework and waits up to 10 s. */
    @Override
    public void close() {
        try {
            framework.stop();
            framework.waitForStop(10_000);
        } catch (BundleException e) {
            LOG.warn("framework did not stop cleanly: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
