package io.purifier.server.executor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The command line and environment of a local worker process: what {@code bin/purifier worker --server URL --run ID}
 * runs, started directly with this JVM's java binary and the installation's class path ({@code lib/*}, or this JVM's
 * class path when the installation has no {@code lib/}, as in tests). The credential goes into the environment only.
 */
final class WorkerCommandLine {

    /** The worker's credential. */
    static final String TOKEN_VARIABLE = "PURIFIER_WORKER_TOKEN";
    /** The server's process id: a worker whose server is gone stops. */
    static final String PARENT_VARIABLE = "PURIFIER_PARENT_PID";
    /** JavaCPP's native-library cache, shared with the server so natives are extracted once. */
    static final String JAVACPP_CACHE = "org.bytedeco.javacpp.cachedir";
    static final String MAIN_CLASS = "io.purifier.server.Main";

    private final Path home;
    private final List<String> jvmOptions;

    WorkerCommandLine(Path home, List<String> jvmOptions) {
        this.home = home.toAbsolutePath().normalize();
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /** OpenMP's thread count, which ND4J and the engine's own loops follow. */
    static final String THREADS_VARIABLE = "OMP_NUM_THREADS";

    /**
     * The command of a worker started for {@code launch}: with the heap, native and process memory caps of the memory
     * it asks for, if it does ({@link WorkerMemory}).
     */
    List<String> command(WorkerLaunch launch) {
        List<String> options = launch.resources().requestedMemoryMegabytes().isPresent()
                ? WorkerMemory.fit(jvmOptions, launch.resources().memoryMegabytes()) : jvmOptions;
        List<String> cmd = java(launch.logFile().toAbsolutePath().getParent(), options);
        cmd.addAll(List.of("worker", "--server", launch.server().toString(), "--run", Long.toString(launch.runId()),
                "--work-dir", launch.workDir().toAbsolutePath().toString()));
        return cmd;
    }

    /** The command of a standby worker, which reads its run from standard input; crash reports go to {@code errorDir}. */
    List<String> standbyCommand(Path errorDir) {
        List<String> cmd = java(errorDir.toAbsolutePath(), jvmOptions);
        cmd.addAll(List.of("worker", "--standby"));
        return cmd;
    }

    /** The java command that starts {@code io.purifier.server.Main}, with crash reports going to {@code errorDir}. */
    List<String> java(Path errorDir) {
        return java(errorDir, jvmOptions);
    }

    private List<String> java(Path errorDir, List<String> options) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(options);
        cmd.add("-Dpurifier.home=" + home);
        String cache = System.getProperty(JAVACPP_CACHE);
        if (cache != null && !cache.isBlank()) {
            cmd.add("-D" + JAVACPP_CACHE + "=" + cache);
        }
        cmd.add("-XX:ErrorFile=" + errorDir.resolve("worker-hs_err_pid%p.log"));
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.add(MAIN_CLASS);
        return cmd;
    }

    /**
     * The environment of a worker started for {@code launch}: its credential, the server's process id, and the
     * thread count of the CPUs it asks for, if it does.
     */
    Map<String, String> environment(WorkerLaunch launch) {
        Map<String, String> env = standbyEnvironment();
        env.put(TOKEN_VARIABLE, launch.credential());
        launch.resources().requestedCpus().ifPresent(cpus -> env.put(THREADS_VARIABLE, Integer.toString(cpus)));
        return env;
    }

    /** The environment of a standby worker: the server's process id (its credential comes with its run). */
    Map<String, String> standbyEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(PARENT_VARIABLE, Long.toString(ProcessHandle.current().pid()));
        return env;
    }

    /** {@code home/lib/*} when it holds jars, otherwise this JVM's class path. */
    String classPath() {
        Path lib = home.resolve("lib");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> files = Files.list(lib)) {
                if (files.anyMatch(p -> p.getFileName().toString().endsWith(".jar"))) {
                    return lib + "/*";
                }
            } catch (IOException e) {
                // an unreadable lib/ falls back to this JVM's class path
            }
        }
        return System.getProperty("java.class.path");
    }
}
