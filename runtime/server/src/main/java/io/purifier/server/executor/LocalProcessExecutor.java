package io.purifier.server.executor;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.purifier.server.FileTrees;
import io.purifier.server.worker.StandbyAssignment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The default executor: each run executes in a {@code purifier worker} child process on this machine, with the JVM
 * options of {@code executor.local.jvmOptions} (its memory caps), its own working directory, and its output appended
 * to the run's log file. A native crash, an overrun or the memory of a run stay in that process and end with it.
 *
 * <p>After each launch one <em>standby</em> worker is started ahead of time ({@code purifier worker --standby}): it
 * loads its libraries (JVM, ND4J natives, JSON, HTTP, framework) while the current run executes, and the next launch
 * hands it its run on standard input instead of waiting for a new JVM. A standby serves one run only, like any
 * worker, so every run still has a process of its own.</p>
 *
 * <p>A run whose pipeline asks for CPUs or memory ({@link RunResources}) gets a worker started for it instead: with
 * that many threads ({@code OMP_NUM_THREADS}) and its memory caps fitted to that size ({@link WorkerMemory}).
 * Requests this machine cannot meet are refused when the pipeline is validated.</p>
 */
public final class LocalProcessExecutor implements RunExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(LocalProcessExecutor.class);

    /** How many lines of a worker's log an {@link ExecutionEnd} carries. */
    static final int TAIL_LINES = 12;

    /** A worker started ahead of its run, with the log its output goes to until it gets one. */
    private record Standby(Process process, Path log) {
    }

    private final ExecutorSettings settings;
    private final WorkerCommandLine commandLine;
    private final Path workersDir;
    private final ObjectMapper json;
    private final Map<Long, Process> workers = new ConcurrentHashMap<>();
    private final AtomicInteger standbyCount = new AtomicInteger();
    private Standby standby;
    private boolean closed;

    /**
     * @param settings   the executor settings (slots, JVM options)
     * @param home       the installation the workers start from (its {@code bundles/} and {@code lib/})
     * @param workersDir where workers' directories and standby logs go ({@code data/workers}); emptied now, since the
     *                   workers of an earlier server process are gone with it
     * @param json       the JSON mapper
     */
    public LocalProcessExecutor(ExecutorSettings settings, Path home, Path workersDir, ObjectMapper json) throws IOException {
        this.settings = settings;
        this.commandLine = new WorkerCommandLine(home, settings.workerJvmOptions());
        this.workersDir = workersDir;
        this.json = json;
        FileTrees.delete(workersDir);
        Files.createDirectories(workersDir);
    }

    @Override
    public int slots() {
        return settings.localSlots();
    }

    @Override
    public Map<String, String> refusals(RunResources resources) {
        long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
        return refusals(resources, Runtime.getRuntime().availableProcessors(), memory);
    }

    /** What a machine with {@code processors} processors and {@code memoryBytes} of memory cannot give a run. */
    static Map<String, String> refusals(RunResources resources, int processors, long memoryBytes) {
        Map<String, String> refused = new LinkedHashMap<>();
        if (resources.cpus() > processors) {
            refused.put("cpus", "asks for " + resources.cpus() + " CPUs; the local executor runs workers on this machine,"
                    + " which has " + processors);
        }
        long memoryMegabytes = memoryBytes >> 20;
        if (resources.memoryMegabytes() > memoryMegabytes) {
            refused.put("memoryMegabytes", "asks for " + resources.memoryMegabytes() + " MiB; the local executor runs "
                    + "workers on this machine, which has " + memoryMegabytes + " MiB");
        }
        return refused;
    }

    @Override
    public String launch(WorkerLaunch launch, Consumer<ExecutionEnd> ended) throws IOException {
        Files.createDirectories(launch.logFile().getParent());
        Process process = launch.resources().shapesWorker() ? null : assignStandby(launch);
        boolean warm = process != null;
        if (process == null) {
            process = start(launch);
        }
        workers.put(launch.runId(), process);
        LOG.info("run {}: worker process {} {}", launch.runId(), process.pid(), warm ? "(started ahead) took it" : "started");
        process.onExit().thenAccept(p -> {
            workers.remove(launch.runId());
            int code = p.exitValue();
            try {
                FileTrees.delete(launch.workDir());
            } catch (IOException e) {
                LOG.warn("run {}: could not remove the worker's directory {}: {}", launch.runId(), launch.workDir(), e.toString());
            }
            ended.accept(new ExecutionEnd(launch.runId(), code, ExecutionEnd.describeExitCode(code), tail(launch.logFile(), TAIL_LINES)));
        }).exceptionally(t -> {
            LOG.error("run {}: handling the end of its worker failed", launch.runId(), t);
            return null;
        });
        startStandby();
        String asked = launch.resources().describe();
        return "worker process " + process.pid() + " on this machine" + (asked.isEmpty() ? "" : " (" + asked + ")");
    }

    /** Starts a worker for {@code launch} now. */
    private Process start(WorkerLaunch launch) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(commandLine.command(launch))
                .directory(Files.createDirectories(launch.workDir()).toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(launch.logFile().toFile()));
        pb.environment().putAll(commandLine.environment(launch));
        Process process = pb.start();
        process.getOutputStream().close();
        return process;
    }

    /** Hands {@code launch} to the standby worker, if one is alive; null when there is none or it cannot take it. */
    private Process assignStandby(WorkerLaunch launch) {
        Standby s;
        synchronized (this) {
            s = standby;
            standby = null;
        }
        if (s == null || !s.process().isAlive()) {
            return null;
        }
        try {
            Files.move(s.log(), launch.logFile(), StandardCopyOption.REPLACE_EXISTING);
            try (OutputStream in = s.process().getOutputStream()) {
                String line = StandbyAssignment.line(launch.server().toString(), launch.runId(), launch.workDir(),
                        launch.credential(), json);
                in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return s.process();
        } catch (IOException e) {
            LOG.warn("the standby worker {} could not take run {} ({}); starting a worker for it", s.process().pid(),
                    launch.runId(), e.toString());
            s.process().destroyForcibly();
            return null;
        }
    }

    /** Starts the standby worker for the next launch (a failure only costs the next launch its head start). */
    private synchronized void startStandby() {
        if (closed || (standby != null && standby.process().isAlive())) {
            return;
        }
        Path log = workersDir.resolve("standby-" + standbyCount.incrementAndGet() + ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(commandLine.standbyCommand(workersDir))
                    .directory(workersDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().putAll(commandLine.standbyEnvironment());
            standby = new Standby(pb.start(), log);
        } catch (IOException e) {
            LOG.warn("could not start a standby worker: {}", e.toString());
        }
    }

    @Override
    public void kill(long runId) {
        Process p = workers.get(runId);
        if (p != null) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    @Override
    public void close() {
        List<Process> running = new ArrayList<>(workers.values());
        synchronized (this) {
            closed = true;
            if (standby != null) {
                running.add(standby.process());
                standby = null;
            }
        }
        for (Process p : running) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : running) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    LOG.warn("worker process {} did not end within 10 s of SIGKILL", p.pid());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The last {@code lines} lines of {@code file} (reads at most its last 16 KB); empty when it cannot be read. */
    static List<String> tail(Path file, int lines) {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long length = f.length();
            int size = (int) Math.min(length, 16 * 1024);
            byte[] bytes = new byte[size];
            f.seek(length - size);
            f.readFully(bytes);
            List<String> all = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\\R"));
            List<String> nonEmpty = all.stream().filter(l -> !l.isBlank()).toList();
            return nonEmpty.subList(Math.max(0, nonEmpty.size() - lines), nonEmpty.size());
        } catch (IOException e) {
            return List.of();
        }
    }
}
