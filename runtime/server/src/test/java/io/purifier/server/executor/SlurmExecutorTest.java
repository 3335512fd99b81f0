package io.purifier.server.executor;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SlurmExecutorTest {

    /** Slurm as a map of job states; records what was submitted and cancelled. */
    static final class FakeSlurm implements SlurmCommands {
        final Map<String, SlurmJob> jobs = new ConcurrentHashMap<>();
        final List<List<String>> submitted = new ArrayList<>();
        final List<String> cancelled = new ArrayList<>();
        IOException failure;

        @Override
        public String submit(List<String> options, Path script) throws IOException {
            if (failure != null) {
                throw failure;
            }
            String id = Integer.toString(100 + submitted.size());
            submitted.add(options);
            jobs.put(id, new SlurmJob(id, "PENDING", "Priority", 0));
            return id;
        }

        @Override
        public List<SlurmJob> jobs(Collection<String> ids) throws IOException {
            if (failure != null) {
                throw failure;
            }
            return ids.stream().map(jobs::get).filter(j -> j != null).toList();
        }

        @Override
        public void cancel(String id) {
            cancelled.add(id);
        }
    }

    @TempDir
    Path dir;
    final FakeSlurm slurm = new FakeSlurm();
    SlurmExecutor executor;
    final List<ExecutionEnd> ends = new ArrayList<>();

    private SlurmExecutor executor(String partition, URI serverUrl) throws IOException {
        SlurmSettings s = new SlurmSettings(3, partition, 2, 4096, Duration.ZERO, List.of("-Xmx1g"), List.of("--qos=short"),
                dir.resolve("jobs"), serverUrl, null, null, Duration.ofHours(1));
        executor = new SlurmExecutor(s, slurm, dir.resolve("home"));
        return executor;
    }

    @AfterEach
    void close() {
        if (executor != null) {
            executor.close();
        }
    }

    private WorkerLaunch launch(long run) {
        return new WorkerLaunch(run, URI.create("http://127.0.0.1:7171"), "pwk_secret", dir.resolve("workers/" + run),
                dir.resolve("runs/" + run + "/worker.log"), Duration.ofMinutes(90));
    }

    @Test
    void a_run_is_one_job_with_its_resources_and_a_credential_only_in_a_0600_file() throws Exception {
        executor("gpu", URI.create("http://head:7171"));
        assertEquals(3, executor.slots());
        assertTrue(executor.workersOutliveServer());
        assertEquals("Slurm job 100 in partition gpu", executor.launch(launch(7), ends::add));
        assertEquals("100", executor.jobId(7).orElseThrow());
        Path jobDir = dir.resolve("jobs/7");
        assertEquals(List.of("--job-name=purifier-run-7", "--chdir=" + jobDir, "--output=" + jobDir.resolve("worker.log"),
                "--open-mode=append", "--no-requeue", "--cpus-per-task=2", "--mem=4096M", "--time=90", "--partition=gpu",
                "--qos=short"), slurm.submitted.get(0));
        Path credential = jobDir.resolve("credential");
        assertEquals("pwk_secret", Files.readString(credential));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(credential)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(jobDir)));
        String script = Files.readString(jobDir.resolve("job.sh"));
        assertFalse(script.contains("pwk_secret"), script);
        assertTrue(script.contains("rm -f \"$CREDENTIAL\""), script);
        assertTrue(script.contains("'io.purifier.server.Main' worker --server 'http://head:7171' --run 7 --work-dir \"$WORK\""), script);
        assertTrue(script.contains("'-Xmx1g'"), script);
        assertTrue(script.contains("OMP_NUM_THREADS=\"${SLURM_CPUS_PER_TASK:-${OMP_NUM_THREADS:-1}}\""), script);
    }

    @Test
    void the_pipeline_s_resources_replace_the_defaults_member_by_member() throws Exception {
        executor("", null);
        Duration derived = Duration.ofMinutes(90);
        RunResources all = new RunResources(8, 16384, Duration.ofMinutes(45));
        executor.launch(new WorkerLaunch(4, URI.create("http://127.0.0.1:7171"), "pwk_a", dir.resolve("w/4"),
                dir.resolve("runs/4/worker.log"), derived, all), ends::add);
        assertTrue(slurm.submitted.get(0).containsAll(List.of("--cpus-per-task=8", "--mem=16384M", "--time=45")),
                slurm.submitted.get(0).toString());
        executor.launch(new WorkerLaunch(5, URI.create("http://127.0.0.1:7171"), "pwk_b", dir.resolve("w/5"),
                dir.resolve("runs/5/worker.log"), derived, new RunResources(0, 2048, null)), ends::add);
        assertTrue(slurm.submitted.get(1).containsAll(List.of("--cpus-per-task=2", "--mem=2048M", "--time=90")),
                slurm.submitted.get(1).toString());
        assertEquals(Map.of(), executor.refusals(all), "Slurm itself decides what its nodes can hold");
    }

    @Test
    void a_failed_submission_leaves_no_credential_behind() throws Exception {
        executor("", null);
        slurm.failure = new IOException("sbatch failed (exit code 1): invalid partition");
        IOException e = assertThrows(IOException.class, () -> executor.launch(launch(8), ends::add));
        assertEquals("sbatch failed (exit code 1): invalid partition", e.getMessage());
        assertFalse(Files.exists(dir.resolve("jobs/8/credential")));
    }

    @Test
    void an_ended_job_ends_its_worker_with_slurm_s_state_and_its_output_in_the_run_log() throws Exception {
        executor("", null);
        executor.launch(launch(1), ends::add);
        executor.launch(launch(2), ends::add);
        executor.launch(launch(3), ends::add);
        executor.poll();
        assertTrue(ends.isEmpty(), "pending jobs go on");
        Files.writeString(dir.resolve("jobs/1/worker.log"), "purifier worker: run 1\nout of luck\n");
        slurm.jobs.put("100", new SlurmJob("100", "TIMEOUT", "TimeLimit", 0));
        slurm.jobs.put("101", new SlurmJob("101", "CANCELLED", "None", 0));
        slurm.jobs.remove("102");
        executor.poll();
        assertEquals(3, ends.size());
        ExecutionEnd timeout = ends.stream().filter(e -> e.runId() == 1).findFirst().orElseThrow();
        assertEquals(ExecutionEnd.Cause.LIMIT, timeout.cause());
        assertEquals("Slurm job 100 TIMEOUT (reason TimeLimit, exit code 0)", timeout.description());
        assertEquals(List.of("purifier worker: run 1", "out of luck"), timeout.lastLogLines());
        assertEquals("purifier worker: run 1\nout of luck\n", Files.readString(dir.resolve("runs/1/worker.log")));
        assertFalse(Files.exists(dir.resolve("jobs/1")), "the job's files are removed");
        assertEquals(ExecutionEnd.Cause.CANCELLED, ends.stream().filter(e -> e.runId() == 2).findFirst().orElseThrow().cause());
        ExecutionEnd forgotten = ends.stream().filter(e -> e.runId() == 3).findFirst().orElseThrow();
        assertEquals(ExecutionEnd.Cause.LOST, forgotten.cause());
        assertTrue(forgotten.description().contains("no longer known to Slurm"), forgotten.description());
        executor.poll();
        assertEquals(3, ends.size(), "each end is reported once");
    }

    @Test
    void a_job_waits_to_start_from_its_submission_until_slurm_shows_it_executing() throws Exception {
        executor("", null);
        executor.launch(launch(1), ends::add);
        assertTrue(executor.waitingToStart(1), "submitted, not yet polled");
        assertFalse(executor.waitingToStart(2), "not a run of this executor");
        executor.poll();
        assertTrue(executor.waitingToStart(1), "PENDING");
        slurm.jobs.put("100", new SlurmJob("100", "RUNNING", "None", 0));
        executor.poll();
        assertFalse(executor.waitingToStart(1), "RUNNING");
        slurm.jobs.put("100", new SlurmJob("100", "CONFIGURING", "None", 0));
        executor.poll();
        assertTrue(executor.waitingToStart(1), "CONFIGURING is waiting again");
        slurm.failure = new IOException("squeue failed: Unable to contact slurm controller");
        executor.poll();
        assertTrue(executor.waitingToStart(1), "the last state seen stands while Slurm cannot be read");
        slurm.failure = null;
        slurm.jobs.put("100", new SlurmJob("100", "COMPLETED", "None", 0));
        executor.poll();
        assertFalse(executor.waitingToStart(1), "ended");
    }

    @Test
    void slurm_being_unreachable_ends_no_run() throws Exception {
        executor("", null);
        executor.launch(launch(1), ends::add);
        slurm.failure = new IOException("squeue failed: Unable to contact slurm controller");
        executor.poll();
        assertTrue(ends.isEmpty());
    }

    @Test
    void kill_is_scancel_and_a_reattached_job_is_watched_like_a_submitted_one() throws Exception {
        executor("", null);
        executor.kill(5);
        assertTrue(slurm.cancelled.isEmpty(), "no job, nothing to cancel");
        slurm.jobs.put("77", new SlurmJob("77", "RUNNING", "None", 0));
        assertEquals("Slurm job 77", executor.reattach(5, "77", dir.resolve("runs/5/worker.log"), ends::add));
        executor.kill(5);
        assertEquals(List.of("77"), slurm.cancelled);
        slurm.jobs.put("77", new SlurmJob("77", "COMPLETED", "None", 0));
        executor.poll();
        assertEquals(ExecutionEnd.Cause.EXITED, ends.get(0).cause());
        assertNull(executor.jobId(5).orElse(null));
    }
}
