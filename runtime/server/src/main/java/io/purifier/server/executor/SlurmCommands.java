package io.purifier.server.executor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/** The three Slurm commands the Slurm executor uses: submit a batch script, read jobs' states, cancel a job. */
public interface SlurmCommands {

    /**
     * Submits {@code script} with {@code sbatch --parsable} and the given options.
     *
     * @return the job id
     * @throws IOException when {@code sbatch} fails (its message included)
     */
    String submit(List<String> options, Path script) throws IOException;

    /**
     * The states of the jobs {@code ids} that Slurm still knows ({@code squeue --states=all}); a job it has forgotten
     * is missing from the list.
     *
     * @throws IOException when Slurm cannot be asked (the controller is down); the jobs' states are then unknown
     */
    List<SlurmJob> jobs(Collection<String> ids) throws IOException;

    /** Cancels job {@code id} ({@code scancel}); a job that has ended already is no error. */
    void cancel(String id) throws IOException;
}
