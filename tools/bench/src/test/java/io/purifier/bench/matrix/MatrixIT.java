package io.purifier.bench.matrix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.purifier.bench.BenchTestHome;
import io.purifier.bench.EmbeddedServer;
import io.purifier.server.EngineModelTrainer;
import io.purifier.server.auth.Role;
import io.purifier.server.pipeline.ModelTrainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A one-cell matrix over HTTP against a real server (Fashion-MNIST 300/100 images, small CNN one epoch, BadNets):
 * the attacks come from the server's component list, the cell runs through the queue, the reports are written, and
 * a second matrix takes the cell from the history with its recorded memory; a part naming an attack the server does
 * not have is refused; a part with one seed after a part with two keeps the second seed in the report it rewrites.
 */
class MatrixIT {

    @TempDir
    Path dir;

    @Test
    void runs_a_cell_through_the_api_writes_the_reports_and_resumes_from_the_history() throws Exception {
        Path home = BenchTestHome.create(dir);
        Path docs = dir.resolve("docs");
        Path seedsDocs = dir.resolve("docs-seeds");
        ModelTrainer trainer = EngineModelTrainer.create();
        List<List<String>> attacksSeen = new ArrayList<>();
        MatrixCommand.PlanChoice tiny = (attacks, columns) -> {
            attacksSeen.add(attacks);
            return new BenchPlan("it", 1, "fashion-mnist", List.of(new BenchPlan.ModelRecipe("small-cnn", "small-cnn", Map.of(),
                    BenchPlan.recipe(1), 300, 100, 1)), List.of("badnets"), List.of(), 0.05, 0.1);
        };
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        String progress;
        try (PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
             EmbeddedServer server = EmbeddedServer.start(home, Map.of(), trainer, Role.RESEARCHER, Duration.ofSeconds(60))) {
            assertEquals(0, MatrixCommand.run(server, trainer.version(), home, tiny, docs, 2, out), log.toString(StandardCharsets.UTF_8));
            assertEquals(0, MatrixCommand.run(server, trainer.version(), home, tiny, docs, 2, out), log.toString(StandardCharsets.UTF_8));
            IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> MatrixCommand.run(server,
                    trainer.version(), home, tiny, new CellFilter(Set.of("badnet"), Set.of()), docs, 2, out));
            assertEquals("--attacks: unknown badnet (installed attacks: badnets, sample-corner)", unknown.getMessage(),
                    "checked against the server's component list before any cell runs");

            progress = log.toString(StandardCharsets.UTF_8);
            MatrixCommand.PlanChoice twoSeeds = (attacks, columns) -> tiny.plan(attacks, columns).withSeeds(2);
            assertEquals(0, MatrixCommand.run(server, trainer.version(), home, twoSeeds, seedsDocs, 2, out),
                    log.toString(StandardCharsets.UTF_8));
            log.reset();
            assertEquals(0, MatrixCommand.run(server, trainer.version(), home, tiny, seedsDocs, 2, out),
                    log.toString(StandardCharsets.UTF_8));
        }
        String lastPart = log.toString(StandardCharsets.UTF_8);
        assertTrue(lastPart.contains("this part runs seed 1 (--seeds 1) and reports seeds 1-2"), lastPart);
        JsonNode seeds = new ObjectMapper().readTree(seedsDocs.resolve("bench/matrix-it.json").toFile());
        assertEquals(2, seeds.path("cells").size(), "seed 2 of the earlier part is still in the report: " + seeds);
        assertEquals(1, seeds.path("cells").get(1).path("seedIndex").asInt());
        assertTrue(seeds.path("cells").get(1).path("reused").asBoolean(), "seed 2 was looked up, not run again");
        assertEquals(2, seeds.path("setting").path("seeds").asInt());
        assertEquals(1, seeds.path("setting").path("seedsRun").asInt());
        assertTrue(Files.readString(seedsDocs.resolve("bench/matrix-it-summary.csv")).contains("\nsmall-cnn,badnets,none,2,0,"),
                "the cell's summary is over both seeds");
        assertEquals(List.of("badnets", "sample-corner"), attacksSeen.get(0), "every installed attack is offered");
        assertTrue(progress.contains("[1/1] small-cnn/badnets/none"), progress);
        assertTrue(progress.contains("(from history, run 1)"), progress);

        JsonNode export = new ObjectMapper().readTree(docs.resolve("bench/matrix-it.json").toFile());
        JsonNode cell = export.path("cells").get(0);
        assertEquals("SUCCEEDED", cell.path("status").asText());
        assertTrue(cell.path("reused").asBoolean());
        assertTrue(cell.path("peakRssMb").asDouble() > 100, "the memory sampled in the first matrix: " + cell);
        double asr = cell.path("metrics").path("ASR").asDouble(-1);
        assertTrue(asr >= 0 && asr <= 1, cell.toString());
        assertEquals(1, export.path("setting").path("cellsReusedFromHistory").asInt());
        assertTrue(Files.readString(docs.resolve("benchmarks.md")).contains("<!-- bench:matrix-it:begin -->\nMatrix `it`"));
        assertTrue(Files.readString(docs.resolve("bench/matrix-it.csv")).startsWith("model,attack,defense,seed_index,status"));
        assertTrue(Files.readString(docs.resolve("bench/matrix-it-summary.csv")).startsWith("model,attack,defense,n,"));
    }
}
