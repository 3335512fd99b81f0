package io.purifier.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/** Reading the run records of {@code GET /api/runs/{id}}. */
public final class RunDetails {

    private RunDetails() {
    }

    /** Started → finished of a run ({@code detail.run}), in seconds; 0 when either is missing. */
    public static double wallSeconds(JsonNode run) {
        if (!run.hasNonNull("startedAt") || !run.hasNonNull("finishedAt")) {
            return 0;
        }
        return (Instant.parse(run.get("finishedAt").asText()).toEpochMilli()
                - Instant.parse(run.get("startedAt").asText()).toEpochMilli()) / 1000.0;
    }
}
