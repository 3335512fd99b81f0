package io.purifier.bench.matrix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.purifier.bench.MarkedSections;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The files of one matrix under an output directory: {@code bench/matrix-<plan>.{md,csv,json}} (the CSV one row per
 * run), {@code bench/matrix-<plan>-summary.csv} (one row per cell: N, mean and sd of every metric over its seeds) and the
 * {@code matrix-<plan>} section of {@code benchmarks.md}. The JSON is rewritten after every cell, so an interrupted
 * matrix leaves its results so far (their memory samples and pipeline fingerprints, which a resumed matrix reads back:
 * {@link MatrixRecord}). The results written
 * are every cell of the plan found in the history, not only those of one invocation, so the parts of a plan run one
 * after another ({@code --attacks}, {@code --defenses}) add up in the same files.
 */
final class MatrixReport {

    private final Path benchDir;
    private final Path doc;
    private final String name;
    private final ObjectMapper json;

    MatrixReport(Path outDir, String planName, ObjectMapper json) {
        this.benchDir = outDir.resolve("bench");
        this.doc = outDir.resolve("benchmarks.md");
        this.name = "matrix-" + planName;
        this.json = json;
    }

    private Path file(String extension) {
        return benchDir.resolve(name + "." + extension);
    }

    /** The JSON of an earlier run of this plan (read once: peaks and record both come from it); empty when none. */
    JsonNode previous() throws IOException {
        return Files.exists(file("json")) ? json.readTree(file("json").toFile()) : json.createObjectNode();
    }

    /** Writes the JSON with the results so far. */
    void writeJson(Map<String, Object> setting, List<BenchResult> results) throws IOException {
        Files.createDirectories(benchDir);
        json.writerWithDefaultPrettyPrinter().writeValue(file("json").toFile(), MatrixTables.json(json, setting, results));
    }

    /**
     * Writes every file of the finished matrix; {@code summary} starts its section of benchmarks.md and the Markdown
     * flags undefended cells below {@code minCleanAccuracy} (0 = no minimum).
     */
    void writeAll(Map<String, Object> setting, List<BenchResult> results, String summary, double minCleanAccuracy)
            throws IOException {
        writeJson(setting, results);
        String markdown = MatrixTables.markdown(results, minCleanAccuracy);
        Files.writeString(file("md"), markdown);
        Files.writeString(file("csv"), MatrixTables.csv(results));
        Files.writeString(benchDir.resolve(name + "-summary.csv"), MatrixTables.summaryCsv(results));
        String existing = Files.exists(doc) ? Files.readString(doc) : "# Benchmarks\n";
        Files.writeString(doc, MarkedSections.replace(existing, name, summary + "\n\n" + markdown));
    }

    /** The JSON report, which a resumed matrix reads back. */
    Path jsonFile() {
        return file("json");
    }

    /** Where the files are. */
    String where() {
        return benchDir + " and " + doc;
    }
}
