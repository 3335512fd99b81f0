package io.purifier.server;

import io.purifier.client.ApiClient;
import io.purifier.server.process.ChildJvm;
import io.purifier.server.process.ChildProcess;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A whole server in a child JVM ({@code purifier serve --port 0}), for tests that kill it or must survive its crash. */
public final class ServerProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("^Purifier .* listening on http://[^:]+:(\\d+)/");

    private final ChildProcess process;
    private final int port;

    private ServerProcess(ChildProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts {@code serve} for the installation {@code home} and waits (up to 90 s) until it listens; its output goes
     * to {@code home/server-*.log}.
     */
    public static ServerProcess start(Path home) throws Exception {
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Path log = home.resolve("server-" + System.nanoTime() + ".log");
        java.io.PrintWriter out = new java.io.PrintWriter(java.nio.file.Files.newBufferedWriter(log), true);
        ChildProcess child = ChildJvm.forMainClass(Main.class.getName(), home)
                .args(List.of("serve", "--port", "0"))
                .systemProperty("purifier.home", home.toString())
                .heapBytes(1L << 30).offHeapBytes(1L << 30).ompThreads(2)
                .timeout(Duration.ofHours(2)).directory(home).outputCap(64 * 1024)
                .onStderrLine(out::println)
                .onStdoutLine(line -> {
                    out.println(line);
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                })
                .build().start();
        child.onExit().thenAccept(r -> port.completeExceptionally(new IllegalStateException(
                "the server process ended before listening: " + r.describe() + "\n" + r.stdout() + r.stderr())));
        try {
            return new ServerProcess(child, port.get(90, TimeUnit.SECONDS));
        } catch (Exception e) {
            child.destroy();
            throw e;
        }
    }

    /** The HTTP port. */
    public int port() {
        return port;
    }

    /** The operating-system process id. */
    public long pid() {
        return process.pid();
    }

    /** A client with {@code token}. */
    public ApiClient api(String token) {
        return TestHome.client(port, token);
    }

    /** {@code kill -9} and wait until the process is gone. */
    public void kill() throws InterruptedException {
        process.destroy();
        process.await();
    }

    /** Whether the process still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.stop(Duration.ofSeconds(20));
        }
    }
}
