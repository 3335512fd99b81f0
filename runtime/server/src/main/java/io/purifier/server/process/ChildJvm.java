package io.purifier.server.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Starts a child JVM for work that must not be able to take the server down (parsing untrusted files, running a
 * pipeline): the same Java binary and class path as this process, explicit heap and off-heap (JavaCPP) caps,
 * the JavaCPP cache, {@code OMP_NUM_THREADS}, a wall-clock time limit after which the process and its
 * descendants are destroyed, and captured output with a size cap. Crash reports ({@code hs_err}) go to the
 * working directory, core dumps are off.
 *
 * <pre>{@code
 * ChildResult r = ChildJvm.forMainClass("io.purifier.server.inspect.InspectModelCommand", home)
 *         .args(List.of("--inspect-model", file.toString(), "--format", "keras-h5"))
 *         .heapBytes(1L << 30).offHeapBytes(1L << 30).timeout(Duration.ofSeconds(60))
 *         .directory(scratch).build().run();
 * }</pre>
 */
public final class ChildJvm {

    /** JavaCPP's system property for the off-heap byte cap. */
    public static final String MAX_BYTES = "org.bytedeco.javacpp.maxbytes";
    /** JavaCPP's system property for the resident-size cap. */
    public static final String MAX_PHYSICAL_BYTES = "org.bytedeco.javacpp.maxphysicalbytes";
    /** JavaCPP's system property for its native-library cache. */
    public static final String JAVACPP_CACHE = "org.bytedeco.javacpp.cachedir";

    private final Builder b;

    private ChildJvm(Builder b) {
        this.b = b;
    }

    /**
     * A builder for {@code mainClass} with the class path of the installation at {@code home} ({@code lib/*} when it
     * holds jars, otherwise this JVM's class path, as in tests) and this JVM's JavaCPP cache directory.
     */
    public static Builder forMainClass(String mainClass, Path home) {
        Builder b = new Builder(mainClass).classPath(classPathOf(home));
        String cache = System.getProperty(JAVACPP_CACHE);
        if (cache != null && !cache.isBlank()) {
            b.javacppCache(Path.of(cache));
        }
        return b;
    }

    /** {@code home/lib/*} when that directory holds jars, otherwise this JVM's {@code java.class.path}. */
    public static String classPathOf(Path home) {
        Path lib = home == null ? null : home.resolve("lib");
        if (lib != null && Files.isDirectory(lib)) {
            try (Stream<Path> files = Files.list(lib)) {
                if (files.anyMatch(p -> p.getFileName().toString().endsWith(".jar"))) {
                    return lib.toAbsolutePath() + "/*";
                }
            } catch (IOException e) {
                // unreadable lib/: fall back to this JVM's class path
            }
        }
        return System.getProperty("java.class.path");
    }

    /**
     * For a child's main method: ends this process (exit code 70) as soon as its parent process ends, so that a
     * child of a server that was killed does not live on as an orphan.
     */
    public static void exitWithParent() {
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(ORPHANED)));
    }

    /** The exit code of a child that ended because its parent ended ({@link #exitWithParent()}). */
    public static final int ORPHANED = 70;

    /** The full command line (java binary, JVM options, class path, main class, arguments). */
    public List<String> command() {
        List<String> cmd = new ArrayList<>();
        cmd.add(b.java.toString());
        cmd.add("-Xmx" + b.heapBytes);
        cmd.add("-D" + MAX_BYTES + "=" + b.offHeapBytes);
        cmd.add("-D" + MAX_PHYSICAL_BYTES + "=" + b.physicalBytes());
        if (b.javacppCache != null) {
            cmd.add("-D" + JAVACPP_CACHE + "=" + b.javacppCache.toAbsolutePath());
        }
        cmd.add("-XX:+ExitOnOutOfMemoryError");
        cmd.add("-XX:-CreateCoredumpOnCrash");
        cmd.add("-XX:-UsePerfData");
        cmd.add("-XX:ErrorFile=" + b.directory.toAbsolutePath().resolve("hs_err_pid%p.log"));
        b.systemProperties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(b.jvmOptions);
        cmd.add("-cp");
        cmd.add(b.classPath);
        cmd.add(b.mainClass);
        cmd.addAll(b.args);
        return cmd;
    }

    /** The environment variables set on top of this process's environment. */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>(b.environment);
        env.put("OMP_NUM_THREADS", Integer.toString(b.ompThreads));
        return env;
    }

    /** Starts the child; its time limit runs from now. */
    public ChildProcess start() throws IOException {
        Files.createDirectories(b.directory);
        ProcessBuilder pb = new ProcessBuilder(command()).directory(b.directory.toFile());
        pb.environment().putAll(environment());
        Process process = pb.start();
        process.getOutputStream().close();
        return new ChildProcess(process, b.timeout, b.readyPrefix, b.startupLimit, b.outputCap, b.stdoutLines, b.stderrLines);
    }

    /** Starts the child and waits until it ends or its time limit passes. */
    public ChildResult run() throws IOException, InterruptedException {
        ChildProcess child = start();
        try {
            return child.await();
        } finally {
            child.destroy();
        }
    }

    /** Settings of a child JVM; every limit has a safe default (512 MB heap and off-heap, 60 s, 1 MB of output). */
    public static final class Builder {
        private final String mainClass;
        private String classPath = System.getProperty("java.class.path");
        private Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        private List<String> args = List.of();
        private final List<String> jvmOptions = new ArrayList<>();
        private final Map<String, String> systemProperties = new LinkedHashMap<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private long heapBytes = 512L << 20;
        private long offHeapBytes = 512L << 20;
        private long physicalBytes;
        private Path javacppCache;
        private int ompThreads = 1;
        private Duration timeout = Duration.ofSeconds(60);
        private int outputCap = 1 << 20;
        private Path directory = Path.of(System.getProperty("java.io.tmpdir"));
        private Consumer<String> stdoutLines;
        private Consumer<String> stderrLines;
        private String readyPrefix;
        private Duration startupLimit;

        private Builder(String mainClass) {
            this.mainClass = requireText(mainClass, "mainClass");
        }

        /** The program arguments. */
        public Builder args(List<String> value) {
            this.args = List.copyOf(value);
            return this;
        }

        /** The class path (a {@code dir/*} wildcard is expanded by the java launcher). */
        public Builder classPath(String value) {
            this.classPath = requireText(value, "classPath");
            return this;
        }

        /** The java binary (default: this JVM's). */
        public Builder javaBinary(Path value) {
            this.java = Objects.requireNonNull(value, "javaBinary");
            return this;
        }

        /** The heap cap ({@code -Xmx}), in bytes. */
        public Builder heapBytes(long value) {
            this.heapBytes = positive(value, "heapBytes");
            return this;
        }

        /** The off-heap cap of JavaCPP/ND4J ({@value #MAX_BYTES}), in bytes. */
        public Builder offHeapBytes(long value) {
            this.offHeapBytes = positive(value, "offHeapBytes");
            return this;
        }

        /** The resident-size cap ({@value #MAX_PHYSICAL_BYTES}); default heap + off-heap + 512 MB. */
        public Builder physicalBytes(long value) {
            this.physicalBytes = positive(value, "physicalBytes");
            return this;
        }

        /** The JavaCPP native-library cache directory. */
        public Builder javacppCache(Path value) {
            this.javacppCache = value;
            return this;
        }

        /** {@code OMP_NUM_THREADS} of the child (default 1). */
        public Builder ompThreads(int value) {
            this.ompThreads = (int) positive(value, "ompThreads");
            return this;
        }

        /** The wall-clock limit after which the child and its descendants are destroyed. */
        public Builder timeout(Duration value) {
            if (value == null || value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException("timeout must be positive, got " + value);
            }
            this.timeout = value;
            return this;
        }

        /** How many bytes of each output stream are kept. */
        public Builder outputCap(int value) {
            this.outputCap = (int) positive(value, "outputCap");
            return this;
        }

        /** The working directory (created if missing); crash reports land here. */
        public Builder directory(Path value) {
            this.directory = Objects.requireNonNull(value, "directory");
            return this;
        }

        /** A further {@code -Dkey=value}. */
        public Builder systemProperty(String key, String value) {
            systemProperties.put(requireText(key, "system property"), Objects.requireNonNull(value, key));
            return this;
        }

        /** A further JVM option such as {@code -XX:+UseSerialGC}. */
        public Builder jvmOption(String option) {
            if (option == null || !option.startsWith("-")) {
                throw new IllegalArgumentException("a JVM option starts with '-', got " + option);
            }
            jvmOptions.add(option);
            return this;
        }

        /** An environment variable of the child (a credential belongs here, never in the arguments). */
        public Builder environment(String name, String value) {
            environment.put(requireText(name, "environment variable"), Objects.requireNonNull(value, name));
            return this;
        }

        /**
         * Counts the time limit from the first standard-output line starting with {@code prefix} (the child says it
         * has started up and begins the work that is limited) instead of from the start; before that line the child
         * has {@code startupLimit}. So a slow start on a loaded machine does not eat the work's time limit.
         */
        public Builder readyWhen(String prefix, Duration startupLimit) {
            if (prefix == null || prefix.isEmpty() || startupLimit == null || startupLimit.isZero() || startupLimit.isNegative()) {
                throw new IllegalArgumentException("readyWhen needs a prefix and a positive start-up limit");
            }
            this.readyPrefix = prefix;
            this.startupLimit = startupLimit;
            return this;
        }

        /** Receives every line the child writes to standard output, on a reader thread. */
        public Builder onStdoutLine(Consumer<String> listener) {
            this.stdoutLines = listener;
            return this;
        }

        /** Receives every line the child writes to standard error, on a reader thread. */
        public Builder onStderrLine(Consumer<String> listener) {
            this.stderrLines = listener;
            return this;
        }

        private long physicalBytes() {
            return physicalBytes > 0 ? physicalBytes : heapBytes + offHeapBytes + (512L << 20);
        }

        /** The launcher. */
        public ChildJvm build() {
            return new ChildJvm(this);
        }

        private static long positive(long value, String name) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be positive, got " + value);
            }
            return value;
        }

        private static String requireText(String value, String name) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(name + " must not be blank");
            }
            return value;
        }
    }
}
