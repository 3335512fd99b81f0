package io.purifier.server.executor;

import io.purifier.server.FileTrees;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Runs each run as one Slurm job ({@code sbatch}) that starts {@code purifier worker} on a node. The job's CPUs,
 * memory and time limit come from the pipeline's {@code resources} ({@link RunResources}), each defaulting to
 * {@code executor.slurm.*} (the time limit to one derived from the run's steps); partition and more {@code sbatch}
 * options come from {@code executor.slurm.*}. The worker runs as many threads as the job has CPUs. Its files (script, credential, output) are in the shared {@code executor.slurm.jobsDir}
 * ({@link SlurmJobScript}). The jobs' states are read with {@code squeue} every {@code executor.slurm.pollSeconds};
 * a job that has ended ends its run's worker with Slurm's state and reason, and its output is appended to the run's
 * {@code worker.log}. {@link #kill} is {@code scancel}.
 *
 * <p>Jobs outlive the server: closing the executor only stops watching them, and the next server re-attaches the
 * runs whose jobs are still known to Slurm ({@link #reattach}).</p>
 */
public final class SlurmExecutor implements RunExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(SlurmExecutor.class);

    /** A job being watched. */
    private record Watched(long runId, String jobId, Path output, Path logFile, Consumer<ExecutionEnd> ended) {
    }

    private final SlurmSettings settings;
    private final SlurmCommands slurm;
    private final WorkerCommandLine commandLine;
    private final Map<Long, Watched> jobs = new ConcurrentHashMap<>();
    private final Map<String, String> lastState = new ConcurrentHashMap<>();
    /** Runs whose jobs Slurm still holds (submitted or re-attached, and not seen executing since). */
    private final Set<Long> waiting = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "purifier-slurm-poll");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param settings the Slurm settings
     * @param slurm    the Slurm commands
     * @param home     the installation the workers start from (the same path on every node: a shared installation)
     */
    public SlurmExecutor(SlurmSettings settings, SlurmCommands slurm, Path home) throws IOException {
        this.settings = settings;
        this.slurm = slurm;
        this.commandLine = new WorkerCommandLine(home, settings.jvmOptions());
        Files.createDirectories(settings.jobsDir());
        long every = settings.pollInterval().toMillis();
        poller.scheduleWithFixedDelay(this::poll, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public int slots() {
        return settings.maxJobs();
    }

    @Override
    public boolean workersOutliveServer() {
        return true;
    }

    @Override
    public String launch(WorkerLaunch launch, Consumer<ExecutionEnd> ended) throws IOException {
        WorkerLaunch forNodes = settings.serverUrl() == null ? launch : launch.at(settings.serverUrl());
        Path dir = jobDir(launch.runId());
        Path script = SlurmJobScript.write(dir, forNodes, commandLine.java(dir));
        String jobId;
        try {
            jobId = slurm.submit(options(launch.runId(), dir, launch.timeLimit(), launch.resources()), script);
        } catch (IOException e) {
            Files.deleteIfExists(dir.resolve(SlurmJobScript.CREDENTIAL));
            throw e;
        }
        waiting.add(launch.runId());
        jobs.put(launch.runId(), new Watched(launch.runId(), jobId, dir.resolve(SlurmJobScript.OUTPUT), launch.logFile(), ended));
        LOG.info("run {}: Slurm job {} submitted", launch.runId(), jobId);
        return "Slurm job " + jobId + (settings.partition().isEmpty() ? "" : " in partition " + settings.partition());
    }

    /**
     * The {@code sbatch} options of run {@code runId}'s job: the CPUs, memory and time limit its pipeline asks for,
     * each defaulting to {@code executor.slurm.*}; the time limit without either is {@code runLimit}, derived from the
     * run's steps.
     */
    List<String> options(long runId, Path dir, Duration runLimit, RunResources resources) {
        int cpus = resources.requestedCpus().orElse(settings.cpus());
        int memory = resources.requestedMemoryMegabytes().orElse(settings.memoryMb());
        Duration time = resources.requestedTimeLimit().orElse(settings.timeLimit().isZero() ? runLimit : settings.timeLimit());
        List<String> o = new ArrayList<>(List.of("--job-name=purifier-run-" + runId, "--chdir=" + dir,
                "--output=" + dir.resolve(SlurmJobScript.OUTPUT), "--open-mode=append", "--no-requeue",
                "--cpus-per-task=" + cpus, "--mem=" + memory + "M", "--time=" + minutes(time)));
        if (!settings.partition().isEmpty()) {
            o.add("--partition=" + settings.partition());
        }
        o.addAll(settings.sbatchArgs());
        return o;
    }

    private static long minutes(Duration d) {
        return Math.max(1, (d.toSeconds() + 59) / 60);
    }

    @Override
    public Optional<String> jobId(long runId) {
        return Optional.ofNullable(jobs.get(runId)).map(Watched::jobId);
    }

    @Override
    public String reattach(long runId, String jobId, Path logFile, Consumer<ExecutionEnd> ended) {
        waiting.add(runId);
        jobs.put(runId, new Watched(runId, jobId, jobDir(runId).resolve(SlurmJobScript.OUTPUT), logFile, ended));
        LOG.info("run {}: watching Slurm job {} again", runId, jobId);
        return "Slurm job " + jobId;
    }

    private Path jobDir(long runId) {
        return settings.jobsDir().resolve(Long.toString(runId));
    }

    /**
     * Whether Slurm still holds run {@code runId}'s job: from its submission (or re-attachment) until a poll sees it
     * executing or ended, and again whenever a poll sees it waiting (PENDING, CONFIGURING, ...). When Slurm cannot be
     * read, the last state seen stands.
     */
    @Override
    public boolean waitingToStart(long runId) {
        return waiting.contains(runId);
    }

    @Override
    public void kill(long runId) {
        Watched w = jobs.get(runId);
        if (w == null) {
            return;
        }
        try {
            slurm.cancel(w.jobId());
        } catch (IOException e) {
            LOG.warn("run {}: scancel {} failed: {}", runId, w.jobId(), e.getMessage());
        }
    }

    /** Reads the watched jobs' states and ends the runs whose jobs have ended. */
    void poll() {
        if (jobs.isEmpty()) {
            return;
        }
        List<Watched> watched = List.copyOf(jobs.values());
        Map<String, SlurmJob> known;
        try {
            known = slurm.jobs(watched.stream().map(Watched::jobId).toList()).stream()
                    .collect(Collectors.toMap(SlurmJob::id, j -> j, (a, b) -> a));
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot read the Slurm jobs' states (the runs go on; the last states seen stand): {}", e.getMessage());
            return;
        }
        for (Watched w : watched) {
            SlurmJob job = known.get(w.jobId());
            try {
                if (job == null) {
                    end(w, new SlurmJob(w.jobId(), "unknown", "the job is no longer known to Slurm", -1), ExecutionEnd.Cause.LOST);
                } else if (job.meaning().ended()) {
                    end(w, job, cause(job.meaning()));
                } else {
                    if (job.meaning() == SlurmJobState.WAITING) {
                        waiting.add(w.runId());
                    } else {
                        waiting.remove(w.runId());
                    }
                    if (!job.state().equals(lastState.put(w.jobId(), job.state()))) {
                        LOG.info("run {}: {}", w.runId(), job.describe());
                    }
                }
            } catch (IllegalArgumentException e) {
                LOG.warn("run {}: Slurm job {}: {}", w.runId(), w.jobId(), e.getMessage());
            }
        }
    }

    private static ExecutionEnd.Cause cause(SlurmJobState state) {
        return switch (state) {
            case LIMIT -> ExecutionEnd.Cause.LIMIT;
            case CANCELLED -> ExecutionEnd.Cause.CANCELLED;
            case LOST -> ExecutionEnd.Cause.LOST;
            default -> ExecutionEnd.Cause.EXITED;
        };
    }

    /** Ends the run of {@code w}: its job's output goes to the run's log, its files are removed. */
    private void end(Watched w, SlurmJob job, ExecutionEnd.Cause cause) {
        if (!jobs.remove(w.runId(), w)) {
            return;
        }
        lastState.remove(w.jobId());
        waiting.remove(w.runId());
        List<String> tail = LocalProcessExecutor.tail(w.output(), LocalProcessExecutor.TAIL_LINES);
        try {
            if (Files.exists(w.output())) {
                Files.createDirectories(w.logFile().getParent());
                Files.write(w.logFile(), Files.readAllBytes(w.output()), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            FileTrees.delete(w.output().getParent());
        } catch (IOException e) {
            LOG.warn("run {}: could not move the output of Slurm job {}: {}", w.runId(), w.jobId(), e.toString());
        }
        LOG.info("run {}: {}", w.runId(), job.describe());
        w.ended().accept(new ExecutionEnd(w.runId(), job.exitCode(), job.describe(), tail, cause));
    }

    /** Stops watching; the jobs go on, and the next server re-attaches their runs. */
    @Override
    public void close() {
        poller.shutdownNow();
        try {
            poller.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        jobs.clear();
        waiting.clear();
    }
}
