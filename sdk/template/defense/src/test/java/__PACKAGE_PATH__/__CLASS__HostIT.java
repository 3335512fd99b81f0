package @@PACKAGE@@;

import io.purifier.testkit.host.PurifierHost;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bundle this build made, in a real Purifier host ({@code mvn verify -Dpurifier.home=/path/to/purifier}): it
 * passes the server's upload checks, registers the defense and runs in the pipeline
 * {@code src/test/resources/pipeline.json} (adapt it to a dataset your installation has).
 */
class @@CLASS@@HostIT {

    @Test
    void deploys_into_a_real_host_and_runs_in_a_pipeline() throws Exception {
        try (PurifierHost host = PurifierHost.start()) {
            PurifierHost.Deployed bundle = host.deploy(PurifierHost.builtBundle());
            assertEquals(List.of("defense:" + @@CLASS@@Defense.ID), bundle.plugins());

            PurifierHost.RunResult run = host.run(Files.readString(Path.of("src/test/resources/pipeline.json")));

            assertTrue(run.succeeded(), "run " + run.id() + " " + run.status() + ": " + run.error());
            PurifierHost.Step defense = run.stepsOf(@@CLASS@@Defense.ID).get(0);
            assertEquals("SUCCEEDED", defense.status(), defense.error());
            assertTrue(defense.summary().has("finalTrainLoss"), defense.summary().toString());
        }
    }
}
