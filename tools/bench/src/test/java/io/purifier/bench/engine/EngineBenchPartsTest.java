package io.purifier.bench.engine;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parsing, the twin's output, medians, ratios and the table of the engine benchmark. */
class EngineBenchPartsTest {

    @Test
    void model_specs_carry_their_parameters_and_name_what_is_malformed() {
        ModelSpec s = ModelSpec.parse("preact-resnet18:widthMultiplier=0.5,foo=1");
        assertEquals("preact-resnet18", s.id());
        assertEquals(Map.of("widthMultiplier", "0.5", "foo", "1"), s.params());
        assertEquals("preact-resnet18:widthMultiplier=0.5,foo=1", s.text());
        var e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.parse("small-cnn:width"));
        assertTrue(e.getMessage().contains("'width' is not param=value"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ModelSpec.parse(":width=3"));
    }

    @Test
    void the_twins_json_line_is_read_after_any_log_lines() throws Exception {
        String out = "some warning\n{\"threads\": 2, \"torch\": \"1.13.0\", \"rows\": [{\"model\": \"small-cnn\", "
                + "\"params\": 421642, \"train\": 1000.5, \"infer\": 2000.0, \"inputGrad\": 3000.0}]}\n";
        TorchTwin.Result r = TorchTwin.parse(out);
        assertEquals("1.13.0", r.torchVersion());
        assertEquals(2, r.threads());
        assertEquals(421642L, r.params().get("small-cnn"));
        assertArrayEquals(new double[]{1000.5, 2000, 3000}, r.rates().get("small-cnn").cells(), 0.0);
        assertThrows(java.io.IOException.class, () -> TorchTwin.parse("{\"rows\": []}"));
    }

    @Test
    void cells_are_the_median_over_rounds_and_ratios_are_engine_over_pytorch() {
        CompareTable t = new CompareTable();
        t.addEngine("m", 10, new Rates(100, 400, 50));
        t.addEngine("m", 10, new Rates(300, 100, 70));
        t.addEngine("m", 10, new Rates(200, 200, 60));
        t.addTorch("m", 10, new Rates(100, 100, 100));
        t.addTorch("m", 10, new Rates(300, 300, 100));
        assertArrayEquals(new double[]{200, 200, 60}, CompareTable.median(List.of(new Rates(100, 400, 50),
                new Rates(300, 100, 70), new Rates(200, 200, 60))).cells(), 0.0);
        assertArrayEquals(new double[]{1.0, 1.0, 0.6}, t.ratios().get("m"), 1e-12);
        assertEquals(0.6, t.worstRatio(), 1e-12);
        String md = t.markdown();
        assertTrue(md.contains("| m | 10 | 200 | 200 | **1.00×** | 200 | 200 | **1.00×** | 60 | 100 | **0.60×** |"), md);
    }

    @Test
    void a_parameter_count_that_differs_from_the_twins_is_flagged() {
        CompareTable t = new CompareTable();
        t.addEngine("m", 10, new Rates(1, 1, 1));
        t.addTorch("m", 11, new Rates(1, 1, 1));
        assertTrue(t.markdown().contains("not the same model"), t.markdown());
    }

    @Test
    void options_are_checked_and_help_answers_without_measuring() throws Exception {
        var o = EngineBenchCommand.Options.parse(List.of("small-cnn", "--compare", "--rounds", "5", "--batches", "3"));
        assertEquals(List.of("small-cnn"), o.models().stream().map(ModelSpec::text).toList());
        assertTrue(o.compare());
        assertEquals(5, o.rounds());
        assertEquals(3, o.batches());
        assertEquals(ModelSpec.DEFAULTS.size(), EngineBenchCommand.Options.parse(List.of()).models().size());
        var e = assertThrows(IllegalArgumentException.class,
                () -> EngineBenchCommand.Options.parse(List.of("--rounds", "0")));
        assertTrue(e.getMessage().contains("--rounds needs a positive integer"), e.getMessage());
        assertEquals(10, o.jitWarmupSeconds());
        assertEquals(0, EngineBenchCommand.Options.parse(List.of("--jit-warmup", "0")).jitWarmupSeconds());
        var w = assertThrows(IllegalArgumentException.class,
                () -> EngineBenchCommand.Options.parse(List.of("--jit-warmup", "-1")));
        assertTrue(w.getMessage().contains("--jit-warmup needs a whole number of seconds"), w.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EngineBenchCommand.Options.parse(List.of("--bogus")));
        assertThrows(IllegalArgumentException.class, () -> EngineBenchCommand.Options.parse(List.of("--batches")));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertEquals(0, EngineBenchCommand.run(Path.of("."), List.of("--help"), new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        assertTrue(bytes.toString(StandardCharsets.UTF_8).startsWith("Usage: purifier-bench engine"));
    }

    @Test
    void the_engine_measures_a_tiny_model_and_counts_its_parameters() {
        var model = EngineThroughput.model(ModelSpec.parse("small-cnn:width=2,hidden=4"));
        assertEquals(2 * 9 + 2 + 4 * 2 * 9 + 4 + 4 * 7 * 7 * 4 + 4 + 4 * 10 + 10, EngineThroughput.parameterCount(model));
        assertEquals(1, EngineThroughput.warmUpJit(List.of(model), 0), "a warm-up of 0 s still runs each model once");
        assertEquals(2, EngineThroughput.warmUpJit(List.of(model, model), 0), "each model at least once");
        assertTrue(EngineThroughput.warmUpJit(List.of(model), 1) > 1, "a tiny model repeats for its whole second");
        Rates r = EngineThroughput.measure(model, 1);
        for (double v : r.cells()) {
            assertTrue(v > 0 && Double.isFinite(v), "rate " + v);
        }
        assertEquals(2 * (28 * 28 * 2 * 9 + 14 * 14 * 4 * 2 * 9 + 196 * 4 + 4 * 10), EngineThroughput.forwardFlops(model), 1e-6);
    }
}
