package io.purifier.server;

import io.purifier.client.ApiClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server in a JVM of its own ({@code purifier serve --port 0} on the test class path), for tests that kill it or
 * need it in another process (watched for crashes, or found by a command). Its output goes to
 * {@code home/server-*.log} so the pipe never fills and a failure can be read.
 */
public final class ServerProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)/");

    private final Process process;
    private final int port;

    private ServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts {@code purifier serve} for {@code home} with the JVM options of the installation's
     * {@code conf/purifier.jvm} (what {@code bin/purifier} uses) and waits until it listens.
     */
    public static ServerProcess start(Path home, Path scratch) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions());
        cmd.addAll(List.of("-Dpurifier.home=" + home,
                "-Dorg.bytedeco.javacpp.cachedir=" + System.getProperty("org.bytedeco.javacpp.cachedir", scratch.resolve("javacpp").toString()),
                "-cp", System.getProperty("java.class.path"), "io.purifier.server.Main", "serve", "--port", "0"));
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).directory(home.toFile()).start();
        try {
            return new ServerProcess(child, awaitPort(child, home.resolve("server-" + System.nanoTime() + ".log")));
        } catch (Exception e) {
            child.destroyForcibly();
            throw e;
        }
    }

    /** {@link #start(Path, Path)} with the JavaCPP cache under {@code home} unless the test JVM names one. */
    public static ServerProcess start(Path home) throws Exception {
        return start(home, home);
    }

    /** The options of the repository's {@code conf/purifier.jvm}, one per line, {@code #} comments left out. */
    static List<String> jvmOptions() throws IOException {
        List<String> options = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("../..", "conf", "purifier.jvm"))) {
            String option = line.replaceFirst("#.*", "").trim();
            if (!option.isEmpty()) {
                options.add(option);
            }
        }
        return options;
    }

    /** The HTTP port. */
    public int port() {
        return port;
    }

    /** The operating-system process. */
    public Process process() {
        return process;
    }

    /** The operating-system process id. */
    public long pid() {
        return process.pid();
    }

    /** Whether the process still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** A client with {@code token}. */
    public ApiClient api(String token) {
        return TestHome.client(port, token);
    }

    /** Kills the process (SIGKILL) and waits for it. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            throw new IllegalStateException("server process " + process.pid() + " did not die");
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    private static int awaitPort(Process child, Path logFile) throws Exception {
        PrintWriter log = new PrintWriter(Files.newBufferedWriter(logFile), true);
        CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> {
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                String line;
                while ((line = out.readLine()) != null) {
                    log.println(line);
                    Matcher m = LISTENING.matcher(line);
                    if (m.find() && line.startsWith("Purifier")) {
                        int found = Integer.parseInt(m.group(1));
                        CompletableFuture.runAsync(() -> copy(out, log));
                        return found;
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            log.close();
            throw new IllegalStateException("the server process ended without listening (its output: " + logFile + ")");
        });
        return port.get(90, TimeUnit.SECONDS);
    }

    private static void copy(BufferedReader out, PrintWriter log) {
        try (log) {
            String line;
            while ((line = out.readLine()) != null) {
                log.println(line);
            }
        } catch (IOException ignored) {
            // the process was killed
        }
    }
}
