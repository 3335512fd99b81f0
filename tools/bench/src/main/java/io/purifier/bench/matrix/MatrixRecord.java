package io.purifier.bench.matrix;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The succeeded cells of an earlier report of the same matrix ({@code docs/bench/matrix-<plan>.json}), keyed by the
 * fingerprint of the pipeline each ran and the trainer version. A matrix takes a cell from here when its own history
 * does not have it, so a long plan can be continued from its committed report on another installation or after the
 * history is gone; a cell is matched only when its pipeline (every parameter, the seed) and the trainer version are
 * the same. Cells of reports written before fingerprints existed are never matched.
 */
final class MatrixRecord {

    /** Writes maps with their keys sorted, for the canonical form of a pipeline. */
    private static final ObjectMapper SORTED = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    /** A record with no cells. */
    static final MatrixRecord EMPTY = new MatrixRecord(Map.of());

    private final Map<String, BenchResult> byKey;

    private MatrixRecord(Map<String, BenchResult> byKey) {
        this.byKey = byKey;
    }

    /** The succeeded, fingerprinted cells of a report as {@link MatrixTables#json} writes it. */
    static MatrixRecord read(JsonNode export) {
        Map<String, BenchResult> cells = new HashMap<>();
        for (JsonNode c : export.path("cells")) {
            String key = c.path("pipelineKey").asText("");
            if (key.isEmpty() || !"SUCCEEDED".equals(c.path("status").asText())) {
                continue;
            }
            Map<String, Double> metrics = new LinkedHashMap<>();
            c.path("metrics").fields().forEachRemaining(m -> metrics.put(m.getKey(), m.getValue().asDouble()));
            BenchCell cell = new BenchCell(c.path("model").asText(), c.path("attack").asText(),
                    c.path("defense").asText(), c.path("seedIndex").asInt());
            cells.put(key, new BenchResult(cell, c.path("runId").asLong(), "SUCCEEDED", metrics,
                    c.path("wallSeconds").asDouble(), c.path("peakRssMb").asDouble(), true, null, key, true));
        }
        return new MatrixRecord(Map.copyOf(cells));
    }

    /** The recorded result of {@code cell} whose pipeline had fingerprint {@code key}, if any. */
    Optional<BenchResult> find(BenchCell cell, String key) {
        BenchResult r = byKey.get(key);
        return r != null && r.cell().equals(cell) ? Optional.of(r) : Optional.empty();
    }

    /**
     * How many seeds the record's cells span: the largest seed index plus one, 0 for an empty record. A part run with
     * fewer seeds still reports these ({@link MatrixCommand#reported}).
     */
    int seeds() {
        return byKey.values().stream().mapToInt(r -> r.cell().seedIndex() + 1).max().orElse(0);
    }

    /** How many cells the record can give. */
    int size() {
        return byKey.size();
    }

    /**
     * The fingerprint of a cell's run: SHA-256 (hex) of the pipeline JSON in its canonical form (as the history stores
     * it, object fields in sorted order) followed by the trainer version.
     */
    static String key(JsonNode pipeline, String trainerVersion) {
        try {
            Object canonical = SORTED.treeToValue(SORTED.readTree(SORTED.writeValueAsString(pipeline)), Object.class);
            byte[] text = (SORTED.writeValueAsString(canonical) + "\n" + trainerVersion).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a cell's pipeline cannot be written as JSON", e);
        }
    }
}
