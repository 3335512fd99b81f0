package io.purifier.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.purifier.api.param.ParamProblem;
import io.purifier.server.pipeline.PipelineInvalidException;
import io.purifier.server.pipeline.PipelineSpec;
import io.purifier.server.store.RunRecords.RunDetail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Where {@code purifier run} sends its pipeline: the server already running on this installation (over its REST API,
 * with the token of {@value #TOKEN_VARIABLE} or the admin token file), or a server started in this process for the
 * one run (HTTP on a loopback ephemeral port, for its worker only).
 */
final class RunTargets {

    /** The environment variable with the token {@code purifier run} uses against a running server. */
    static final String TOKEN_VARIABLE = "PURIFIER_TOKEN";

    /** A server that takes the pipeline and tells how its run goes. */
    interface Target extends AutoCloseable {
        /**
         * Queues {@code spec}.
         *
         * @throws PipelineInvalidException listing every problem
         */
        long submit(PipelineSpec spec) throws Exception;

        /** Everything about run {@code runId} now. */
        RunDetail detail(long runId) throws Exception;

        @Override
        void close();
    }

    private RunTargets() {
    }

    /** The running server of {@code config}'s data directory if there is one, otherwise a server in this process. */
    static Target open(ServerConfig config, Map<String, String> env, ObjectMapper json) throws Exception {
        var running = ServerFile.find(config.dataDir(), json);
        if (running.isPresent()) {
            return new Remote(running.get().url(), token(config, env), json);
        }
        return new InProcess(PurifierServer.start(config, false, Main.trainer()),
                "cli:" + System.getProperty("user.name", "unknown"));
    }

    private static String token(ServerConfig config, Map<String, String> env) throws IOException {
        String token = env.get(TOKEN_VARIABLE);
        if (token != null && !token.isBlank()) {
            return token.trim();
        }
        Path file = config.dataDir().resolve(PurifierServer.ADMIN_TOKEN_FILE);
        if (Files.isReadable(file)) {
            return Files.readString(file).trim();
        }
        throw new IllegalArgumentException("a server is running on this installation; set " + TOKEN_VARIABLE
                + " to a researcher's token to run the pipeline through it");
    }

    /** The server of this installation that is running already. */
    private static final class Remote implements Target {
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        private final URI url;
        private final String token;
        private final ObjectMapper json;

        Remote(URI url, String token, ObjectMapper json) {
            this.url = url;
            this.token = token;
            this.json = json;
        }

        @Override
        public long submit(PipelineSpec spec) throws Exception {
            HttpResponse<String> res = http.send(request("/api/runs").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(spec))).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = json.readTree(res.body());
            if (res.statusCode() == 201) {
                return body.path("id").asLong();
            }
            if (res.statusCode() == 400 && body.has("problems")) {
                throw new PipelineInvalidException(List.of(json.convertValue(body.get("problems"), ParamProblem[].class)));
            }
            throw new IllegalStateException("the server at " + url + " refused the run: HTTP " + res.statusCode() + ": "
                    + body.path("error").asText(res.body()));
        }

        @Override
        public RunDetail detail(long runId) throws Exception {
            HttpResponse<String> res = http.send(request("/api/runs/" + runId).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() != 200) {
                throw new IllegalStateException("the server at " + url + " answered HTTP " + res.statusCode() + " for run " + runId);
            }
            return json.readValue(res.body(), RunDetail.class);
        }

        private HttpRequest.Builder request(String path) {
            return HttpRequest.newBuilder(url.resolve(path)).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token);
        }

        @Override
        public void close() {
            // nothing to stop: the server keeps running
        }
    }

    /** A server started for this one run. */
    private static final class InProcess implements Target {
        private final PurifierServer server;
        private final String user;

        InProcess(PurifierServer server, String user) {
            this.server = server;
            this.user = user;
        }

        @Override
        public long submit(PipelineSpec spec) {
            return server.runs().submit(spec, user);
        }

        @Override
        public RunDetail detail(long runId) {
            return server.services().runStore().detail(runId).orElseThrow();
        }

        @Override
        public void close() {
            server.close();
        }
    }
}
