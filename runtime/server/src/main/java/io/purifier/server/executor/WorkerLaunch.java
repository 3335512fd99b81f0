package io.purifier.server.executor;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What an executor needs to start the worker of one run.
 *
 * @param runId      the run
 * @param server     the server's base URL as the worker reaches it
 * @param credential the run's worker credential (handed over in the environment, never on a command line)
 * @param workDir    the worker's own working directory (created by the executor; removed when the worker is gone)
 * @param logFile    where the worker's output goes
 * @param timeLimit  how long the run may take in all (a scheduler's job time limit); the credential expires then too
 * @param resources  the resources the pipeline asks for (CPUs, memory), each left to the executor when not given
 */
public record WorkerLaunch(long runId, URI server, String credential, Path workDir, Path logFile, Duration timeLimit,
                           RunResources resources) {

    /** Checks the values. */
    public WorkerLaunch {
        if (resources == null) {
            resources = RunResources.DEFAULTS;
        }
    }

    /** A launch with the executor's default resources. */
    public WorkerLaunch(long runId, URI server, String credential, Path workDir, Path logFile, Duration timeLimit) {
        this(runId, server, credential, workDir, logFile, timeLimit, RunResources.DEFAULTS);
    }

    /** A launch with a time limit of one day and the executor's default resources. */
    public WorkerLaunch(long runId, URI server, String credential, Path workDir, Path logFile) {
        this(runId, server, credential, workDir, logFile, Duration.ofDays(1));
    }

    /** The same launch for a worker that reaches the server at {@code address}. */
    public WorkerLaunch at(URI address) {
        return new WorkerLaunch(runId, address, credential, workDir, logFile, timeLimit, resources);
    }

    @Override
    public String toString() {
        return "WorkerLaunch[run " + runId + " of " + server + ", credential hidden]";
    }
}
