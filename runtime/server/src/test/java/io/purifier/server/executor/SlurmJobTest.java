package io.purifier.server.executor;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SlurmJobTest {

    @Test
    void squeue_lines_are_parsed_and_malformed_ones_skipped() {
        List<SlurmJob> jobs = SlurmJob.parse("12|PENDING|Resources|0|\n13|TIMEOUT|TimeLimit|0:15|\ngarbage\n14|FAILED|NonZeroExitCode|512|\n15|FAILED|NonZeroExitCode|35072|\n16|CANCELLED|None|15|\n");
        assertEquals(List.of(new SlurmJob("12", "PENDING", "Resources", 0), new SlurmJob("13", "TIMEOUT", "TimeLimit", 143),
                new SlurmJob("14", "FAILED", "NonZeroExitCode", 2), new SlurmJob("15", "FAILED", "NonZeroExitCode", 137),
                new SlurmJob("16", "CANCELLED", "None", 143)), jobs);
    }

    @Test
    void slurm_states_map_to_what_they_mean_for_a_run() {
        assertEquals(SlurmJobState.WAITING, SlurmJobState.of("PENDING"));
        assertEquals(SlurmJobState.WAITING, SlurmJobState.of("CONFIGURING"));
        assertEquals(SlurmJobState.EXECUTING, SlurmJobState.of("RUNNING"));
        assertEquals(SlurmJobState.EXECUTING, SlurmJobState.of("COMPLETING"));
        assertEquals(SlurmJobState.EXITED, SlurmJobState.of("COMPLETED"));
        assertEquals(SlurmJobState.EXITED, SlurmJobState.of("FAILED"));
        assertEquals(SlurmJobState.LIMIT, SlurmJobState.of("TIMEOUT"));
        assertEquals(SlurmJobState.LIMIT, SlurmJobState.of("OUT_OF_MEMORY"));
        assertEquals(SlurmJobState.CANCELLED, SlurmJobState.of("CANCELLED by 0"));
        assertEquals(SlurmJobState.LOST, SlurmJobState.of("NODE_FAIL"));
        assertEquals(SlurmJobState.LOST, SlurmJobState.of("PREEMPTED"));
        assertFalse(SlurmJobState.WAITING.ended());
        assertTrue(SlurmJobState.LOST.ended());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SlurmJobState.of("WEIRD"));
        assertEquals("unknown Slurm job state 'WEIRD'", e.getMessage());
    }

    @Test
    void a_job_is_described_with_its_state_reason_and_exit() {
        assertEquals("Slurm job 13 TIMEOUT (reason TimeLimit, killed by signal 15 (SIGTERM))",
                new SlurmJob("13", "TIMEOUT", "TimeLimit", 143).describe());
        assertEquals("Slurm job 7 CANCELLED", new SlurmJob("7", "CANCELLED", "None", -1).describe());
    }
}
