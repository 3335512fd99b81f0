package io.purifier.server.testbundles;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

import java.util.concurrent.CountDownLatch;

/** The activator of a hostile test bundle: its start never returns. Copied into a jar by the bundle ITs. */
public final class HangingActivator implements BundleActivator {

    @Override
    public void start(BundleContext context) throws InterruptedException {
        new CountDownLatch(1).await();
    }

    @Override
    public void stop(BundleContext context) {
        // never started
    }
}
