package io.purifier.server.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The run a standby worker ({@code purifier worker --standby}) is given: one JSON line on its standard input,
 * {@code {"server": URL, "run": ID, "workDir": DIR, "token": CREDENTIAL}}. The local executor starts a standby ahead
 * of time so the next run finds a JVM with its libraries loaded; standard input keeps the credential off the command
 * line like the environment does for a worker started for its run.
 *
 * @param options the worker's options
 * @param token   the run's worker credential
 */
public record StandbyAssignment(WorkerOptions options, String token) {

    /** The line that assigns run {@code runId} of {@code server} to a standby worker (without the line break). */
    public static String line(String server, long runId, Path workDir, String token, ObjectMapper json) {
        return json.createObjectNode().put("server", server).put("run", runId).put("workDir", workDir.toAbsolutePath().toString())
                .put("token", token).toString();
    }

    /**
     * Waits for the assignment on {@code in}; empty when the input ends first (the executor let the standby go).
     *
     * @throws IllegalArgumentException when the line is not a valid assignment
     */
    static Optional<StandbyAssignment> read(InputStream in, ObjectMapper json) throws IOException {
        String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
        if (line == null || line.isBlank()) {
            return Optional.empty();
        }
        JsonNode a = json.readTree(line);
        List<String> args = new ArrayList<>(List.of("--server", a.path("server").asText(), "--run", a.path("run").asText()));
        if (a.hasNonNull("workDir")) {
            args.addAll(List.of("--work-dir", a.get("workDir").asText()));
        }
        String token = a.path("token").asText("");
        if (token.isBlank()) {
            throw new IllegalArgumentException("the standby assignment carries no credential");
        }
        return Optional.of(new StandbyAssignment(WorkerOptions.parse(args), token));
    }
}
