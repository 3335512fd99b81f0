package io.purifier.server.worker;

import io.purifier.server.PurifierServer;
import io.purifier.server.osgi.SystemPackages;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.osgi.framework.launch.FrameworkFactory;

import java.net.http.HttpClient;
import java.util.ServiceLoader;

/**
 * Loads what every worker needs before its run is known: ND4J's native backend (about two seconds, on a thread of its
 * own), and for a standby worker also the JSON mapper, the HTTP client, the framework factory and the system-package
 * exports, so a run handed to a standby starts with a warm JVM.
 */
final class WorkerWarmUp {

    private WorkerWarmUp() {
    }

    /** Starts loading ND4J on a background thread; the first step waits for it only if it is not done by then. */
    static void nd4jInBackground() {
        Thread warm = new Thread(() -> Nd4j.create(new float[]{1, 2, 3, 4}, new long[]{2, 2}).mmul(Nd4j.eye(2).castTo(DataType.FLOAT)),
                "purifier-worker-nd4j");
        warm.setDaemon(true);
        warm.start();
    }

    /** Loads the classes and computes the values every run needs (a standby does this while it waits). */
    static void libraries() {
        PurifierServer.objectMapper().createObjectNode().put("warm", true).toString();
        HttpClient.newBuilder().build();
        ServiceLoader.load(FrameworkFactory.class).findFirst();
        SystemPackages.compute();
    }
}
