package io.purifier.bench;

import io.purifier.client.ApiClient;
import io.purifier.server.PurifierServer;
import io.purifier.server.ServerConfig;
import io.purifier.server.auth.Role;
import io.purifier.server.auth.User;
import io.purifier.server.pipeline.ModelTrainer;
import io.purifier.server.store.UserStore;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A server of an installation started in the benchmark's JVM with HTTP on an ephemeral loopback port, and a token of
 * its own for the benchmark. Past the start, benchmarks talk to it only over HTTP through {@link #api()}, like any
 * other client; the only other things read from the server object are its start-up phase times.
 */
public final class EmbeddedServer implements AutoCloseable {

    /** The user the benchmarks act as; created when the installation does not have it. */
    public static final String USER = "bench";

    private final PurifierServer server;
    private final ApiClient api;
    private final long startCallNanos;

    private EmbeddedServer(PurifierServer server, ApiClient api, long startCallNanos) {
        this.server = server;
        this.api = api;
        this.startCallNanos = startCallNanos;
    }

    /**
     * Starts the server of {@code config} (its port and bind address are replaced by an ephemeral loopback port) and
     * gives the benchmark a new token of the {@value #USER} user with {@code role}.
     *
     * @param home      the installation
     * @param overrides settings that replace those of {@code conf/purifier.properties}
     * @param trainer   the model trainer
     * @param role      the role the benchmark needs (researcher to run pipelines, admin to deploy bundles)
     * @param timeout   longest wait for one HTTP answer
     */
    public static EmbeddedServer start(Path home, Map<String, String> overrides, ModelTrainer trainer,
                                       Role role, Duration timeout) throws Exception {
        Map<String, String> settings = new HashMap<>(overrides);
        settings.put("http.port", "0");
        settings.put("http.bind", "127.0.0.1");
        ServerConfig config = ServerConfig.load(home, settings);
        long startCall = System.nanoTime();
        PurifierServer server = PurifierServer.start(config, true, trainer);
        try {
            UserStore users = server.services().users();
            String name = userFor(users, role);
            String token = users.find(name).isPresent() ? users.issueToken(name) : users.add(name, role);
            return new EmbeddedServer(server, new ApiClient(URI.create("http://127.0.0.1:" + server.port()), token, timeout),
                    startCall);
        } catch (Exception | Error e) {
            server.close();
            throw e;
        }
    }

    /**
     * {@value #USER}, or {@value #USER}-ROLE, {@value #USER}-ROLE-3, ... when the name is taken by a user of another
     * role or a revoked one: the first name that is free or an active user with {@code role}.
     */
    static String userFor(UserStore users, Role role) {
        for (int n = 1; ; n++) {
            String name = n == 1 ? USER : USER + "-" + role.jsonName() + (n == 2 ? "" : "-" + n);
            Optional<User> user = users.find(name);
            if (user.isEmpty() || (user.get().active() && user.get().role() == role)) {
                return name;
            }
        }
    }

    /** The client, with the benchmark's token. */
    public ApiClient api() {
        return api;
    }

    /** The HTTP port on 127.0.0.1. */
    public int port() {
        return server.port();
    }

    /** When {@link #start} was called ({@link System#nanoTime()}). */
    public long startCallNanos() {
        return startCallNanos;
    }

    /** The server's own start-up phase times. */
    public PurifierServer.StartupTimes startupTimes() {
        return server.startupTimes();
    }

    /** The server's settings. */
    public ServerConfig config() {
        return server.config();
    }

    /** Stops the server. */
    @Override
    public void close() {
        server.close();
    }
}
