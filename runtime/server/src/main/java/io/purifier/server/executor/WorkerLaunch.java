package io.purifier.server.executor;

import java.net.URI;
import java.nio.file.Path;

/**
 * What an executor needs to start the worker of one run.
 *
 * @param runId      the run
 * @param server     the server's base URL as the worker reaches it
 * @param credential the run's worker credential (handed over in the environment, never on a command line)
 * @param workDir    the worker's own working directory (created by the executor; removed when the worker is gone)
 * @param logFile    where the worker's output goes
 */
public record WorkerLaunch(long runId, URI server, String credential, Path workDir, Path logFile) {

    @Override
    public String toString() {
        return "WorkerLaunch[run " + runId + " of " + server + ", credential hidden]";
    }
}
