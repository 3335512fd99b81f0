package io.purifier.server.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * Seeded requests against every REST endpoint: valid JSON bodies with mutated fields (wrong types, nulls, extreme
 * numbers, huge and odd strings, unknown fields, deep nesting), malformed JSON and random bytes, random query
 * strings, odd path ids, and odd headers (missing, foreign or malformed tokens of every role, wrong content types,
 * a huge header). Tallies statuses; a 5xx, a request that gets no answer in time (hang) and a server that stops
 * answering (crash) are recorded with the request that caused them.
 */
public final class ApiFuzzer {

    /**
     * The tally of one run.
     *
     * @param tried    requests sent
     * @param statuses count per status class (2xx, 4xx, ...) and per 5xx status
     * @param fiveXx   the requests answered 5xx (at most 20 kept)
     * @param hangs    requests without an answer within the limit
     * @param crashed  whether the server stopped answering
     */
    public record Result(int tried, Map<String, Integer> statuses, List<String> fiveXx, int hangs, boolean crashed) {
    }

    private static final String[] GET_PATHS = {"/api/health", "/api/me", "/api/components", "/api/components?kind=%s",
            "/api/components/%s/%s", "/api/datasets", "/api/architectures", "/api/bundles", "/api/runs", "/api/runs?status=%s&limit=%s&offset=%s",
            "/api/runs/%s", "/api/runs/%s/logs?after=%s&limit=%s", "/api/runs/%s/artifacts/%s/%s", "/api/models", "/api/models/%s",
            "/api/pipelines", "/api/pipelines/%s", "/api/cache", "/api/cache/checkpoints", "/api/users", "/nope/%s", "/api/%s"};
    private static final String[] ODD = {"", "0", "-1", "1", "2", "99999999999999999999", "abc", "..", "%2e%2e", "%2F", "%00",
            "%ff%fe", "%E2%80%AE", "1e3", "%20", "NaN", "true", "null", "x".repeat(3000), "model-format", "defense", "m-000000000000",
            "io.purifier.sample-plugins", "sample-blobs", "trigger.png", "%3Cscript%3E"};

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final Random random;
    private final String base;
    private final List<String> tokens;
    private final JsonNode validPipeline;
    private final List<Long> protectedPipelines;
    private final Duration timeout;

    /**
     * @param port               the server's port
     * @param tokens             tokens to use (admin, researcher, viewer); garbage tokens are added
     * @param validPipeline      a valid pipeline, the seed of mutated pipeline bodies
     * @param protectedPipelines saved pipeline ids the fuzzer must not delete (records checked afterwards)
     * @param timeout            how long a request may take before it counts as a hang
     * @param seed               the seed
     */
    public ApiFuzzer(int port, List<String> tokens, JsonNode validPipeline, List<Long> protectedPipelines, Duration timeout, long seed) {
        this.base = "http://127.0.0.1:" + port;
        this.tokens = tokens;
        this.validPipeline = validPipeline;
        this.protectedPipelines = protectedPipelines;
        this.timeout = timeout;
        this.random = new Random(seed);
    }

    /** Sends {@code count} requests, stopping early when {@code alive} says the server process is gone. */
    public Result run(int count, BooleanSupplier alive) throws InterruptedException {
        Map<String, Integer> statuses = new TreeMap<>();
        List<String> fiveXx = new ArrayList<>();
        int hangs = 0;
        for (int i = 0; i < count; i++) {
            HttpRequest request = next();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                statuses.merge(status / 100 + "xx", 1, Integer::sum);
                if (status >= 500) {
                    statuses.merge(Integer.toString(status), 1, Integer::sum);
                    if (fiveXx.size() < 20) {
                        fiveXx.add(request.method() + " " + request.uri() + " -> " + status + " " + cut(response.body()));
                    }
                }
            } catch (HttpTimeoutException e) {
                hangs++;
                statuses.merge("hang", 1, Integer::sum);
            } catch (java.io.IOException e) {
                if (!alive.getAsBoolean()) {
                    return new Result(i + 1, statuses, fiveXx, hangs, true);
                }
                statuses.merge("connection error", 1, Integer::sum);
            }
        }
        return new Result(count, statuses, fiveXx, hangs, false);
    }

    private static String cut(String s) {
        return s == null ? "" : s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    private HttpRequest next() {
        int kind = random.nextInt(10);
        HttpRequest.Builder b;
        if (kind < 4) {
            b = request(format(GET_PATHS[random.nextInt(GET_PATHS.length)])).GET();
        } else if (kind < 9) {
            b = write();
        } else {
            b = request("/api/" + odd() + "/" + odd()).method(pick("PATCH", "DELETE", "PUT", "POST", "OPTIONS", "HEAD"), body(randomJson(3)));
        }
        headers(b);
        return b.build();
    }

    private HttpRequest.Builder write() {
        return switch (random.nextInt(12)) {
            case 0, 1 -> post("/api/runs", mutate(validPipeline.deepCopy()));
            case 2, 3 -> post("/api/pipelines/validate", mutate(validPipeline.deepCopy()));
            case 4 -> {
                ObjectNode saved = JsonNodeFactory.instance.objectNode();
                saved.put("name", "fuzz " + random.nextInt(1000));
                saved.set("spec", validPipeline.deepCopy());
                yield random.nextBoolean() ? post("/api/pipelines", mutate(saved))
                        : request("/api/pipelines/" + pipelineId()).PUT(body(mutate(saved).toString()));
            }
            case 5 -> request("/api/pipelines/" + pipelineId()).DELETE();
            case 6 -> {
                ObjectNode user = JsonNodeFactory.instance.objectNode().put("name", "fz" + random.nextInt(100_000)).put("role", pick("viewer", "researcher", "admin", "root", ""));
                yield post("/api/users", mutate(user));
            }
            case 7 -> request("/api/users/" + pick("fz" + random.nextInt(100_000), odd()) + pick("", "/tokens")).method(pick("DELETE", "POST"), body(""));
            case 8 -> request("/api/runs/" + odd() + "/cancel").POST(body(""));
            case 9 -> request("/api/models?format=" + pick("sample-linear", "keras-h5", "native", odd()) + "&name=" + odd() + "&filename=" + odd()
                    + (random.nextBoolean() ? "&params=" + pick("{}", "null", "[1]", "{\"classNames\":" + odd() + "}", odd()) : ""))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(randomBytes()));
            case 10 -> request("/api/bundles?filename=" + odd() + pick("", "&dryRun=true")).POST(HttpRequest.BodyPublishers.ofByteArray(randomBytes()));
            default -> request("/api/cache/" + pick("", "checkpoints/") + odd()).DELETE();
        };
    }

    private long pipelineId() {
        long id;
        do {
            id = random.nextInt(50) - 2;
        } while (protectedPipelines.contains(id));
        return id;
    }

    private HttpRequest.Builder post(String path, JsonNode node) {
        String text = node.toString();
        int how = random.nextInt(10);
        if (how == 0) {
            text = text.substring(0, random.nextInt(Math.max(1, text.length())));
        } else if (how == 1) {
            text = new String(randomBytes(), StandardCharsets.ISO_8859_1);
        } else if (how == 2) {
            text = "[".repeat(5000) + "]".repeat(5000);
        }
        return request(path).POST(body(text));
    }

    /** Mutates one to three fields of {@code node} in place (recursively through objects and arrays). */
    private JsonNode mutate(JsonNode node) {
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            mutateOnce(node, 0);
        }
        return node;
    }

    private void mutateOnce(JsonNode node, int depth) {
        if (node instanceof ObjectNode o && o.size() > 0) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            String name = names.get(random.nextInt(names.size()));
            JsonNode child = o.get(name);
            if ((child.isContainerNode()) && random.nextBoolean() && depth < 4) {
                mutateOnce(child, depth + 1);
            } else if (random.nextInt(6) == 0) {
                o.remove(name);
            } else if (random.nextInt(6) == 0) {
                o.set(odd(), randomJson(2));
            } else {
                o.set(name, randomJson(2));
            }
        } else if (node instanceof ArrayNode a) {
            if (a.size() == 0 || random.nextBoolean()) {
                a.add(randomJson(2));
            } else {
                a.set(random.nextInt(a.size()), randomJson(2));
            }
        }
    }

    private JsonNode randomJson(int depth) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (random.nextInt(depth > 0 ? 12 : 10)) {
            case 0 -> f.nullNode();
            case 1 -> f.numberNode(pick(-1L, 0L, Long.MAX_VALUE, Long.MIN_VALUE, (long) Integer.MAX_VALUE + 1));
            case 2 -> f.numberNode(pick(1e308, -1e308, 4.9e-324, 0.5, -0.0));
            case 3 -> f.booleanNode(random.nextBoolean());
            case 4 -> f.textNode(odd());
            case 5 -> f.textNode("\u0000\u202e\ud83d\ude00\\\"'<>&");
            case 6 -> f.textNode("y".repeat(random.nextInt(200_000)));
            case 7 -> f.numberNode(new java.math.BigInteger("9".repeat(60)));
            case 8 -> f.textNode(pick("sample-blobs", "sample-corner", "sample-shrink", "sample-accuracy", "train", "stored", "fashion-mnist"));
            case 9 -> f.numberNode(random.nextInt(2000) - 1000);
            case 10 -> {
                ArrayNode a = f.arrayNode();
                for (int i = 0; i < random.nextInt(4); i++) {
                    a.add(randomJson(depth - 1));
                }
                yield a;
            }
            default -> {
                ObjectNode o = f.objectNode();
                for (int i = 0; i < random.nextInt(4); i++) {
                    o.set(pick("id", "params", "source", "modelId", "fraction", "dataset", odd()), randomJson(depth - 1));
                }
                yield o;
            }
        };
    }

    private void headers(HttpRequest.Builder b) {
        int auth = random.nextInt(10);
        if (auth < 7) {
            b.header("Authorization", "Bearer " + tokens.get(random.nextInt(tokens.size())));
        } else if (auth == 7) {
            b.header("Authorization", pick("Bearer ", "Bearer pur_" + odd(), "Basic YWRtaW46YWRtaW4=", "bearer  " + tokens.get(0), "Bearer " + "z".repeat(5000)));
        }
        int type = random.nextInt(6);
        if (type < 3) {
            b.header("Content-Type", "application/json");
        } else if (type == 3) {
            b.header("Content-Type", pick("multipart/form-data; boundary=xyz", "multipart/form-data", "text/plain", "application/octet-stream", "application/x-www-form-urlencoded"));
        }
        if (random.nextInt(40) == 0) {
            b.header("X-Fuzz", "h".repeat(20_000));
        }
        if (random.nextInt(10) == 0) {
            b.header("Accept", pick("text/event-stream", "*/*", "application/xml"));
        }
    }

    private HttpRequest.Builder request(String path) {
        StringBuilder legal = new StringBuilder();
        for (char c : path.toCharArray()) {
            if (c <= ' ' || c >= 0x7f || "\"{}<>|\\^`".indexOf(c) >= 0) {
                for (byte b : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) {
                    legal.append('%').append(String.format("%02X", b & 0xff));
                }
            } else {
                legal.append(c);
            }
        }
        return HttpRequest.newBuilder(URI.create(base + legal)).timeout(timeout);
    }

    private HttpRequest.BodyPublisher body(Object text) {
        return HttpRequest.BodyPublishers.ofString(String.valueOf(text));
    }

    private byte[] randomBytes() {
        byte[] bytes = new byte[random.nextInt(random.nextInt(10) == 0 ? 2_000_000 : 2_000)];
        random.nextBytes(bytes);
        return bytes;
    }

    private String format(String template) {
        int slots = template.split("%s", -1).length - 1;
        Object[] values = new Object[slots];
        for (int i = 0; i < slots; i++) {
            values[i] = odd();
        }
        return String.format(template, values);
    }

    private String odd() {
        return ODD[random.nextInt(ODD.length)];
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }
}
