package io.purifier.server.executor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where runs execute. The run service hands a run to its executor when the executor has a free slot; the executor
 * starts a worker for it (a child process on this machine, a job on a cluster), watches it, stops it when told, and
 * says when it is gone. Everything the run produces reaches the server through the worker protocol, never through the
 * executor, so the history, the live events and the API are the same whatever the executor.
 *
 * <p>The server's own rules (cancel grace, heartbeat, step time limits) decide when a worker must be stopped; an
 * executor only knows how.</p>
 */
public interface RunExecutor extends AutoCloseable {

    /** How many runs may execute at once. */
    int slots();

    /**
     * What this executor cannot give a run asking for {@code resources}, by member of the pipeline's
     * {@code resources} ({@code cpus}, {@code memoryMegabytes}, {@code timeLimitMinutes}), each with a message that
     * says why; empty when it can give them. A scheduler that decides this itself (Slurm refuses a job no node can
     * hold, and the run fails with its reason) accepts everything here.
     */
    default Map<String, String> refusals(RunResources resources) {
        return Map.of();
    }

    /**
     * Starts a worker for one run and returns once it is started (or submitted).
     *
     * @param launch what the worker needs (server address, run id, credential) and where its output goes
     * @param ended  called exactly once, from any thread, when the worker is gone (or could not be watched any more)
     * @return where the worker runs, for the run log (for example "worker process 4711 on this machine")
     * @throws IOException when the worker cannot be started; {@code ended} is then never called
     */
    String launch(WorkerLaunch launch, Consumer<ExecutionEnd> ended) throws IOException;

    /**
     * Whether workers outlive the server (jobs on a cluster). Then closing the executor only stops watching them, the
     * runs stay running in the history, and the next server {@linkplain #reattach re-attaches} them.
     */
    default boolean workersOutliveServer() {
        return false;
    }

    /** The scheduler's id of run {@code runId}'s worker (a Slurm job id), stored with the run for a re-attach. */
    default Optional<String> jobId(long runId) {
        return Optional.empty();
    }

    /**
     * Watches again the worker of a run that an earlier server process started (its job id was stored with the run).
     *
     * @param logFile where the worker's output goes
     * @param ended   called exactly once when the worker is gone (at once when its job has ended meanwhile)
     * @return where the worker runs, for the run log
     * @throws IOException when this executor cannot re-attach workers
     */
    default String reattach(long runId, String jobId, Path logFile, Consumer<ExecutionEnd> ended)
            throws IOException {
        throw new IOException("this executor cannot re-attach the worker of an earlier server");
    }

    /**
     * Whether the worker of run {@code runId} has not started yet because the scheduler still holds it (a Slurm job
     * waiting for a node). The server does not count such a run's silence against the heartbeat time-out: a job may
     * wait in the scheduler's queue for hours. An executor that starts its workers at once says no.
     */
    default boolean waitingToStart(long runId) {
        return false;
    }

    /** Stops the worker of run {@code runId} at once; nothing happens when there is none. */
    void kill(long runId);

    /** Stops every worker (the server shuts down) and waits until they are gone. */
    @Override
    void close();
}
