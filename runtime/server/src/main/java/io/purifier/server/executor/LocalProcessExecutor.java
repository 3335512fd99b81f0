package io.purifier.server.executor;

import io.purifier.server.FileTrees;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The default executor: each run executes in a {@code purifier worker} child process on this machine, with the JVM
 * options of {@code executor.local.jvmOptions} (its memory caps), its own working directory, and its output appended
 * to a log file. A native crash, an overrun or the memory of a run stay in that process and end with it.
 */
public final class LocalProcessExecutor implements RunExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(LocalProcessExecutor.class);

    /** How many lines of a worker's log an {@link ExecutionEnd} carries. */
    static final int TAIL_LINES = 12;

    private final ExecutorSettings settings;
    private final WorkerCommandLine commandLine;
    private final Map<Long, Process> workers = new ConcurrentHashMap<>();

    /**
     * @param settings the executor settings (slots, JVM options)
     * @param home     the installation the workers start from (its {@code bundles/} and {@code lib/})
     */
    public LocalProcessExecutor(ExecutorSettings settings, Path home) {
        this.settings = settings;
        this.commandLine = new WorkerCommandLine(home, settings.workerJvmOptions());
    }

    @Override
    public int slots() {
        return settings.localSlots();
    }

    @Override
    public String launch(WorkerLaunch launch, Consumer<ExecutionEnd> ended) throws IOException {
        Files.createDirectories(launch.workDir());
        Files.createDirectories(launch.logFile().getParent());
        ProcessBuilder pb = new ProcessBuilder(commandLine.command(launch))
                .directory(launch.workDir().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(launch.logFile().toFile()));
        pb.environment().putAll(commandLine.environment(launch));
        Process process = pb.start();
        process.getOutputStream().close();
        workers.put(launch.runId(), process);
        LOG.info("run {}: worker process {} started", launch.runId(), process.pid());
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
        return "worker process " + process.pid() + " on this machine";
    }

    /** The process id of run {@code runId}'s worker, or -1 when none runs. */
    public long pid(long runId) {
        Process p = workers.get(runId);
        return p == null ? -1 : p.pid();
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
