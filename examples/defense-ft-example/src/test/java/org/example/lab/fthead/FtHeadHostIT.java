package org.example.lab.fthead;

import io.purifier.testkit.host.PurifierHost;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bundle this build made, in a real Purifier host ({@code mvn verify -Dpurifier.home=/path/to/purifier}): it
 * passes the server's upload checks, registers {@code ft-head}, and runs in a tiny pipeline
 * ({@code src/test/resources/pipeline.json}: Fashion-MNIST, a small CNN with a BadNets backdoor, then ft-head).
 */
class FtHeadHostIT {

    @Test
    void deploys_into_a_real_host_and_runs_in_a_pipeline() throws Exception {
        try (PurifierHost host = PurifierHost.start()) {
            PurifierHost.Deployed bundle = host.deploy(PurifierHost.builtBundle());
            assertEquals("org.example.lab.defense-ft-head", bundle.symbolicName());
            assertEquals(List.of("defense:" + FtHeadDefense.ID), bundle.plugins());

            PurifierHost.RunResult run = host.run(Files.readString(Path.of("src/test/resources/pipeline.json")));

            assertTrue(run.succeeded(), "run " + run.id() + " " + run.status() + ": " + run.error());
            List<PurifierHost.Step> steps = run.stepsOf(FtHeadDefense.ID);
            assertEquals(1, steps.size(), run.steps().toString());
            PurifierHost.Step defense = steps.get(0);
            assertEquals("SUCCEEDED", defense.status(), defense.error());
            assertTrue(defense.summary().has("trainedLayers"), defense.summary().toString());
            assertFalse(run.metrics().isEmpty(), "C-ACC and ASR are measured");
        }
    }
}
