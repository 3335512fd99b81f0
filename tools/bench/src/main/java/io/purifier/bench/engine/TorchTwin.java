package io.purifier.bench.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the PyTorch twin ({@code engine_twin.py}, Debian's {@code python3-torch}) as a child process and reads its
 * JSON: the same zoo models layer for layer, the same batch sizes, optimizer step and timing protocol.
 */
final class TorchTwin {

    /** Debian's interpreter (the one that sees {@code python3-torch}). */
    static final String PYTHON = "/usr/bin/python3";

    private final Path script;
    private final int threads;

    /**
     * @param script  the twin's script
     * @param threads the thread count PyTorch must use
     */
    TorchTwin(Path script, int threads) {
        this.script = script;
        this.threads = threads;
    }

    /** The twin's script of an installation ({@code tools/engine_twin.py}) or of a checkout. */
    static Path locate(Path home) {
        for (Path p : List.of(home.resolve("tools/engine_twin.py"), home.resolve("tools/bench/engine_twin.py"))) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IllegalStateException("the PyTorch twin engine_twin.py is not in " + home.resolve("tools")
                + " (rebuild the installation)");
    }

    /** One twin run: the torch version and, per model text, its parameter count and rates. */
    record Result(String torchVersion, int threads, Map<String, Long> params, Map<String, Rates> rates) {
    }

    /**
     * Measures {@code models} once.
     *
     * @throws IllegalStateException when Python or PyTorch is missing or the twin fails, with its output
     */
    Result run(List<ModelSpec> models, int batches) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(PYTHON, script.toString(), "--json", "--threads",
                Integer.toString(threads), "--batches", Integer.toString(batches)));
        models.forEach(m -> cmd.add(m.text()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + PYTHON + " for the PyTorch twin (install Debian's "
                    + "python3-torch and libopenblas0-pthread; ./purifier bench engine --compare does): " + e.getMessage(), e);
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("the PyTorch twin did not finish within 30 minutes");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            String hint = text.contains("No module named 'torch'")
                    ? " (PyTorch is missing: apt-get install python3-torch libopenblas0-pthread)" : "";
            throw new IllegalStateException("the PyTorch twin failed with exit code " + p.exitValue() + hint + ":\n"
                    + tail(text));
        }
        return parse(text);
    }

    /** Reads the twin's JSON (the last line of its output). */
    static Result parse(String output) throws IOException {
        String[] lines = output.trim().split("\n");
        JsonNode root = new ObjectMapper().readTree(lines[lines.length - 1]);
        Map<String, Long> params = new LinkedHashMap<>();
        Map<String, Rates> rates = new LinkedHashMap<>();
        for (JsonNode row : root.path("rows")) {
            String model = row.path("model").asText();
            params.put(model, row.path("params").asLong());
            rates.put(model, new Rates(row.path("train").asDouble(), row.path("infer").asDouble(),
                    row.path("inputGrad").asDouble()));
        }
        if (rates.isEmpty()) {
            throw new IOException("the PyTorch twin printed no rows: " + tail(output));
        }
        return new Result(root.path("torch").asText("?"), root.path("threads").asInt(), params, rates);
    }

    private static String tail(String text) {
        String[] lines = text.split("\n");
        StringBuilder sb = new StringBuilder();
        for (int i = Math.max(0, lines.length - 12); i < lines.length; i++) {
            sb.append("  ").append(lines[i]).append('\n');
        }
        return sb.toString();
    }
}
