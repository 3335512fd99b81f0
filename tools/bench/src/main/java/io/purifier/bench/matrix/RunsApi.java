package io.purifier.bench.matrix;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/** The calls the matrix makes to the server's run history ({@link HttpRuns} over HTTP; fakes in tests). */
interface RunsApi {

    /** Queues a pipeline ({@code POST /api/runs}) and returns the run id. */
    long submit(JsonNode pipeline) throws Exception;

    /** The run's status now ({@code QUEUED}, {@code RUNNING}, or a final one). */
    String status(long runId) throws Exception;

    /** The ids of the succeeded runs named {@code name}, newest first. */
    List<Long> succeededRunsNamed(String name) throws Exception;

    /** A run's detail: {@code {run, spec, provenance, steps[], metrics[], ...}}. */
    JsonNode detail(long runId) throws Exception;
}
