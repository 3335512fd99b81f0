package io.purifier.server.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.purifier.api.InvalidInputException;
import io.purifier.api.metric.MetricValue;
import io.purifier.server.osgi.BundleIdentity;
import io.purifier.server.run.RunRecorder;
import io.purifier.server.store.StepStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The events of the worker protocol: what a worker's {@link RunRecorder} calls become on the wire
 * ({@code POST /api/worker/runs/{id}/events}, see {@code docs/api.md}), and how the server checks them and hands them
 * to its own recorder. Artifacts and the final status have endpoints of their own.
 */
public final class WorkerEvents {

    /** Log levels a worker may report. */
    static final Set<String> LEVELS = Set.of("INFO", "WARN", "ERROR");

    private final ObjectMapper json;

    /** @param json the JSON mapper */
    public WorkerEvents(ObjectMapper json) {
        this.json = json;
    }

    ObjectNode runStarted(JsonNode provenance) {
        return event("runStarted").set("provenance", provenance);
    }

    ObjectNode provenance(JsonNode provenance) {
        return event("provenance").set("provenance", provenance);
    }

    ObjectNode runProgress(double progress, int step, String message) {
        return event("runProgress").put("progress", progress).put("step", step).put("message", message);
    }

    ObjectNode stepStarted(int step, JsonNode params, BundleIdentity bundle) {
        ObjectNode e = event("stepStarted").put("step", step);
        e.set("params", params);
        if (bundle != null) {
            e.putObject("bundle").put("symbolicName", bundle.symbolicName()).put("version", bundle.version())
                    .put("sha256", bundle.sha256());
        }
        return e;
    }

    ObjectNode stepProgress(int step, double fraction, String message) {
        return event("stepProgress").put("step", step).put("progress", fraction).put("message", message);
    }

    ObjectNode stepFinished(int step, StepStatus status, String error, JsonNode summary) {
        ObjectNode e = event("stepFinished").put("step", step).put("status", status.name()).put("error", error);
        e.set("summary", summary);
        return e;
    }

    ObjectNode log(Integer step, String level, String message) {
        ObjectNode e = event("log").put("level", level).put("message", message);
        return step == null ? e.putNull("step") : e.put("step", step);
    }

    ObjectNode curvePoint(int step, String series, double x, double y) {
        return event("curve").put("step", step).put("series", series).put("x", x).put("y", y);
    }

    ObjectNode metrics(int step, String metricId, List<MetricValue> values) {
        ObjectNode e = event("metrics").put("step", step).put("metric", metricId);
        e.set("values", json.valueToTree(values));
        return e;
    }

    ObjectNode cacheEntry(int step, String key, String description) {
        return event("cacheEntry").put("step", step).put("key", key).put("description", description);
    }

    private ObjectNode event(String type) {
        return json.createObjectNode().put("type", type);
    }

    /**
     * Checks every event of a batch, then hands them in order to {@code target}. Nothing is applied when one event is
     * malformed.
     *
     * @param steps how many steps the run has
     * @throws InvalidInputException naming the event (by its position) and what is wrong with it
     */
    public void apply(JsonNode events, int steps, RunRecorder target) {
        if (events == null || !events.isArray()) {
            throw new InvalidInputException("events must be an array");
        }
        List<Runnable> calls = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            calls.add(decode(events.get(i), "events[" + i + "]", steps, target));
        }
        calls.forEach(Runnable::run);
    }

    private Runnable decode(JsonNode e, String at, int steps, RunRecorder target) {
        Fields f = new Fields(e, at, steps);
        String type = f.text("type");
        switch (type) {
            case "runStarted": {
                JsonNode provenance = f.object("provenance");
                return () -> target.runStarted(provenance);
            }
            case "provenance": {
                JsonNode provenance = f.object("provenance");
                return () -> target.provenance(provenance);
            }
            case "runProgress": {
                double progress = f.fraction("progress");
                int step = f.step();
                String message = f.optionalText("message");
                return () -> target.runProgress(progress, step, message);
            }
            case "stepStarted": {
                int step = f.step();
                JsonNode params = f.object("params");
                BundleIdentity bundle = f.bundle();
                return () -> target.stepStarted(step, params, bundle);
            }
            case "stepProgress": {
                int step = f.step();
                double progress = f.fraction("progress");
                String message = f.optionalText("message");
                return () -> target.stepProgress(step, progress, message);
            }
            case "stepFinished": {
                int step = f.step();
                StepStatus status = f.stepStatus();
                String error = f.optionalText("error");
                JsonNode summary = e.hasNonNull("summary") ? f.object("summary") : null;
                return () -> target.stepFinished(step, status, error, summary);
            }
            case "log": {
                Integer step = e.hasNonNull("step") ? f.step() : null;
                String level = f.text("level");
                if (!LEVELS.contains(level)) {
                    throw f.problem("level", "must be one of " + LEVELS.stream().sorted().toList());
                }
                String message = f.text("message");
                return () -> target.log(step, level, message);
            }
            case "curve": {
                int step = f.step();
                String series = f.text("series");
                double x = f.finite("x");
                double y = f.finite("y");
                return () -> target.curvePoint(step, series, x, y);
            }
            case "metrics": {
                int step = f.step();
                String metric = f.text("metric");
                List<MetricValue> values = f.metricValues();
                return () -> target.metrics(step, metric, values);
            }
            case "cacheEntry": {
                int step = f.step();
                String key = f.text("key");
                if (!key.matches("[0-9a-f]{64}")) {
                    throw f.problem("key", "must be 64 lower-case hex digits");
                }
                String description = f.text("description");
                return () -> target.cacheEntry(step, key, description);
            }
            default:
                throw f.problem("type", "unknown event type '" + type + "' (runStarted, provenance, runProgress, stepStarted, "
                        + "stepProgress, stepFinished, log, curve, metrics, cacheEntry)");
        }
    }

    /** Typed, checked access to the fields of one event. */
    private record Fields(JsonNode e, String at, int steps) {

        InvalidInputException problem(String field, String message) {
            return new InvalidInputException(at + "." + field + ": " + message);
        }

        String text(String field) {
            JsonNode v = e.get(field);
            if (v == null || !v.isTextual() || v.asText().isBlank()) {
                throw problem(field, "required text");
            }
            return v.asText();
        }

        String optionalText(String field) {
            JsonNode v = e.get(field);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isTextual()) {
                throw problem(field, "must be text or null");
            }
            return v.asText();
        }

        JsonNode object(String field) {
            JsonNode v = e.get(field);
            if (v == null || !v.isObject()) {
                throw problem(field, "required object");
            }
            return v;
        }

        double finite(String field) {
            JsonNode v = e.get(field);
            if (v == null || !v.isNumber() || !Double.isFinite(v.asDouble())) {
                throw problem(field, "required finite number");
            }
            return v.asDouble();
        }

        double fraction(String field) {
            double v = finite(field);
            if (v < 0 || v > 1) {
                throw problem(field, v + " is outside [0, 1]");
            }
            return v;
        }

        int step() {
            JsonNode v = e.get("step");
            if (v == null || !v.canConvertToInt() || !v.isIntegralNumber()) {
                throw problem("step", "required step index");
            }
            int step = v.asInt();
            if (step < 0 || step >= steps) {
                throw problem("step", step + " is not a step of this run (it has " + steps + ")");
            }
            return step;
        }

        StepStatus stepStatus() {
            String status = text("status");
            return switch (status) {
                case "SUCCEEDED" -> StepStatus.SUCCEEDED;
                case "FAILED" -> StepStatus.FAILED;
                case "CANCELLED" -> StepStatus.CANCELLED;
                default -> throw problem("status", "'" + status + "' is not a final step status (SUCCEEDED, FAILED, CANCELLED)");
            };
        }

        BundleIdentity bundle() {
            JsonNode b = e.get("bundle");
            if (b == null || b.isNull()) {
                return null;
            }
            Fields bundle = new Fields(b, at + ".bundle", steps);
            return new BundleIdentity(bundle.text("symbolicName"), bundle.text("version"), -1, bundle.optionalText("sha256"));
        }

        List<MetricValue> metricValues() {
            JsonNode values = e.get("values");
            if (values == null || !values.isArray()) {
                throw problem("values", "required array");
            }
            List<MetricValue> out = new ArrayList<>();
            for (int i = 0; i < values.size(); i++) {
                Fields v = new Fields(values.get(i), at + ".values[" + i + "]", steps);
                String direction = v.text("direction");
                MetricValue.Direction d;
                try {
                    d = MetricValue.Direction.valueOf(direction);
                } catch (IllegalArgumentException ex) {
                    throw v.problem("direction", "'" + direction + "' is not one of HIGHER_IS_BETTER, LOWER_IS_BETTER, NEUTRAL");
                }
                out.add(new MetricValue(v.text("name"), v.finite("value"), d, v.optionalText("unit")));
            }
            return out;
        }
    }
}
