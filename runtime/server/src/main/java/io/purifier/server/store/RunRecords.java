package io.purifier.server.store;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;

/** Read models of the run history, as the API returns them. */
public final class RunRecords {

    private RunRecords() {
    }

    /** One line of the run list. */
    public record RunSummary(long id, String name, RunStatus status, double progress, String message, long seed,
                             String createdBy, Instant createdAt, Instant startedAt, Instant finishedAt, String error) {
    }

    /** A planned step, written when the run is created. */
    public record StepPlan(String kind, String componentId, String title) {
    }

    /** One step with its outcome. */
    public record Step(int index, String kind, String componentId, String title, StepStatus status, double progress,
                       String message, JsonNode params, String bundleSymbolicName, String bundleVersion,
                       String bundleSha256, Instant startedAt, Instant finishedAt, String error, JsonNode summary) {
    }

    /** One metric value of a step. */
    public record MetricRow(int stepIndex, String metricId, String name, double value, String direction, String unit) {
    }

    /** One curve: a series of (x, y) points of a step. */
    public record Curve(int stepIndex, String series, List<double[]> points) {
    }

    /** One log line. */
    public record LogLine(long seq, Integer stepIndex, Instant at, String level, String message) {
    }

    /** One stored artifact file. */
    public record Artifact(int stepIndex, String name, String relativePath, long size, String sha256) {
    }

    /** Everything stored about a run. */
    public record RunDetail(RunSummary run, JsonNode spec, JsonNode provenance, List<Step> steps,
                            List<MetricRow> metrics, List<Curve> curves, List<Artifact> artifacts) {
    }
}
