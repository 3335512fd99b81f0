package io.purifier.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.purifier.client.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code purifier run FILE} goes through the server running on the installation when there is one (found by its
 * {@code data/server.json}), and through a server of its own when there is none or the file is stale (the server was
 * killed); the output is the same either way.
 */
class RunCommandIT {

    @TempDir
    Path dir;

    private record Outcome(int code, String out, String err) {
    }

    private static Outcome run(Path home, Path pipeline) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = RunCommand.run(home, List.of(pipeline.toString()), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Checks the output and returns the run id it names. */
    private static long assertPrintsTheTable(Outcome o, Path pipeline) {
        assertEquals(0, o.code(), o.out() + o.err());
        java.util.regex.Matcher queued = java.util.regex.Pattern.compile("^run (\\d+) queued \\(" + java.util.regex.Pattern.quote(pipeline.toString())
                + "\\)").matcher(o.out());
        assertTrue(queued.find(), o.out());
        assertTrue(o.out().contains("step  what"), o.out());
        assertTrue(o.out().contains("ACC"), o.out());
        assertTrue(o.out().trim().endsWith("status: succeeded"), o.out());
        return Long.parseLong(queued.group(1));
    }

    @Test
    void run_uses_the_running_server_and_else_a_server_of_its_own() throws Exception {
        Path home = TestHome.create(dir, true);
        Path pipeline = dir.resolve("pipeline.json");
        try (ServerProcess server = ServerProcess.start(home, dir)) {
            ApiClient api = new ApiClient(server.port(), TestHome.adminToken(home));
            ApiClient.Response model = api.postBytes("/api/models?format=sample-linear", TestHome.backdooredSampleModel().getBytes());
            assertEquals(201, model.status(), model.raw());
            ObjectMapper json = new ObjectMapper();
            ObjectNode p = json.createObjectNode();
            p.putObject("dataset").put("id", "sample-blobs");
            p.putObject("model").put("source", "stored").put("modelId", model.body().get("id").asText());
            p.putArray("defenses").addObject().put("id", "sample-shrink");
            Files.writeString(pipeline, p.toString());
            assertTrue(Files.exists(home.resolve("data").resolve(ServerFile.NAME)), "serve announces itself in the data directory");

            Outcome remote = run(home, pipeline);
            long remoteRun = assertPrintsTheTable(remote, pipeline);
            JsonNode detail = api.get("/api/runs/" + remoteRun).body();
            assertEquals("admin", detail.path("run").path("createdBy").asText(), "the running server executed it, for the token's user");
            server.kill();
        }
        assertTrue(Files.exists(home.resolve("data").resolve(ServerFile.NAME)), "a killed server leaves its file behind");

        Outcome local = run(home, pipeline);
        long localRun = assertPrintsTheTable(local, pipeline);
        try (PurifierServer check = PurifierServer.start(TestHome.config(home, Map.of()), false, null)) {
            var run = check.services().runStore().summary(localRun).orElseThrow();
            assertTrue(run.createdBy().startsWith("cli:"), run.toString());
        }
    }
}
