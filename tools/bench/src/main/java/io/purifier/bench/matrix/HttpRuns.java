package io.purifier.bench.matrix;

import com.fasterxml.jackson.databind.JsonNode;
import io.purifier.client.ApiClient;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The run history over the REST API. The succeeded runs are listed once, page by page, when first asked for; runs
 * this benchmark makes later are not looked up again (each cell runs once per invocation).
 */
final class HttpRuns implements RunsApi {

    private static final int PAGE = 1000;

    private final ApiClient api;
    private Map<String, List<Long>> succeededByName;

    HttpRuns(ApiClient api) {
        this.api = api;
    }

    @Override
    public long submit(JsonNode pipeline) throws Exception {
        return api.submitRun(pipeline);
    }

    @Override
    public String status(long runId) throws Exception {
        return ok(api.get("/api/runs/" + runId), "GET /api/runs/" + runId).path("run").path("status").asText();
    }

    @Override
    public List<Long> succeededRunsNamed(String name) throws Exception {
        if (succeededByName == null) {
            succeededByName = listSucceeded();
        }
        return succeededByName.getOrDefault(name, List.of());
    }

    private Map<String, List<Long>> listSucceeded() throws Exception {
        Map<String, List<Long>> out = new HashMap<>();
        for (int offset = 0; ; offset += PAGE) {
            JsonNode page = ok(api.get("/api/runs?status=SUCCEEDED&limit=" + PAGE + "&offset=" + offset), "GET /api/runs");
            for (JsonNode run : page) {
                out.computeIfAbsent(run.path("name").asText(), k -> new ArrayList<>()).add(run.path("id").asLong());
            }
            if (page.size() < PAGE) {
                return out;
            }
        }
    }

    @Override
    public JsonNode detail(long runId) throws Exception {
        return ok(api.get("/api/runs/" + runId), "GET /api/runs/" + runId);
    }

    private static JsonNode ok(ApiClient.Response r, String request) {
        if (r.status() != 200) {
            throw new IllegalStateException(request + " answered " + r);
        }
        return r.body();
    }
}
