package io.purifier.bench.matrix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The matrix command's options and their errors, and which seeds a part reports. */
class MatrixCommandTest {

    private static MatrixCommand.Options parse(String... args) {
        return MatrixCommand.Options.parse(List.of(args));
    }

    private static String error(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> parse(args)).getMessage();
    }

    @Test
    void seeds_take_a_whole_number_from_one_to_a_hundred_and_name_the_bad_value() {
        assertEquals(3, MatrixCommand.seeds("3"));
        assertEquals(100, MatrixCommand.seeds(" 100 "));
        assertEquals("--seeds takes a whole number from 1 to 100, not '0'",
                assertThrows(IllegalArgumentException.class, () -> MatrixCommand.seeds("0")).getMessage());
        assertEquals("--seeds takes a whole number from 1 to 100, not 'three'",
                assertThrows(IllegalArgumentException.class, () -> MatrixCommand.seeds("three")).getMessage());
        assertEquals("--seeds needs a number of seeds (1 to 100)",
                assertThrows(IllegalArgumentException.class, () -> MatrixCommand.seeds(null)).getMessage());
    }

    @Test
    void the_profile_defaults_to_full_and_quick_is_a_synonym_of_profile_quick() {
        MatrixCommand.Options none = parse();
        assertEquals("full", none.profile());
        assertEquals(1, none.seeds());
        assertFalse(none.robustness());
        assertTrue(none.filter().isAll());
        assertNull(none.outDir());
        assertEquals("quick", parse("--quick").profile());
        assertEquals("quick", parse("--profile", "quick").profile());
        MatrixCommand.Options paper = parse("--profile", "paper", "--seeds", "3", "--robustness", "--parallel", "4",
                "--out", "/tmp/x");
        assertEquals(new MatrixCommand.Options("paper", 3, true, CellFilter.ALL, 4, Path.of("/tmp/x")), paper);
    }

    @Test
    void a_profile_that_does_not_exist_or_is_given_twice_or_with_quick_is_refused_naming_the_choices() {
        assertEquals("unknown profile 'papers' for --profile; the profiles are full, quick, paper, paper-check", error("--profile", "papers"));
        assertEquals("--profile needs one of full, quick, paper, paper-check", error("--profile"));
        assertEquals("--profile is given twice", error("--profile", "paper", "--profile", "full"));
        assertEquals("--quick is the same as --profile quick; give one of them, not both (profiles: full, quick, paper, paper-check)",
                error("--quick", "--profile", "paper"));
        assertEquals("--quick is the same as --profile quick; give one of them, not both (profiles: full, quick, paper, paper-check)",
                error("--profile", "quick", "--quick"));
    }

    @Test
    void attacks_and_defenses_take_comma_separated_ids_and_refuse_empty_lists_and_entries() {
        MatrixCommand.Options part = parse("--profile", "paper", "--attacks", "badnets, sig", "--defenses", "npd,wiper-corrected",
                "--models", "preact-resnet18-w0.5");
        assertEquals(Set.of("badnets", "sig"), part.filter().attacks());
        assertEquals(Set.of("preact-resnet18-w0.5"), part.filter().models());
        assertEquals("--models needs a comma-separated list of ids", error("--models"));
        assertEquals(Set.of("npd", "wiper-corrected"), part.filter().defenses());
        assertEquals("--attacks needs a comma-separated list of ids", error("--attacks"));
        assertEquals("--defenses needs a comma-separated list of ids", error("--defenses", " "));
        assertEquals("--attacks has an empty entry in 'badnets,,sig'", error("--attacks", "badnets,,sig"));
        assertEquals("--defenses has an empty entry in 'npd,'", error("--defenses", "npd,"));
    }

    @Test
    void other_bad_options_name_themselves() {
        assertEquals("unknown option '--profiles' for matrix (see --help)", error("--profiles", "paper"));
        assertEquals("--parallel needs a number of cells from 1 to 99999", error("--parallel", "0"));
        assertEquals("--out needs a directory", error("--out"));
    }

    @Test
    void the_help_lists_every_option_and_the_intended_paper_run() {
        for (String option : List.of("--profile", "--quick", "--seeds", "--robustness", "--models", "--attacks", "--defenses",
                "--parallel", "--out")) {
            assertTrue(MatrixCommand.USAGE.contains("  " + option + " "), option);
        }
        assertTrue(MatrixCommand.USAGE.contains("'--profile paper --seeds 3'"), MatrixCommand.USAGE);
        assertTrue(MatrixCommand.USAGE.contains("below 92 % clean accuracy"), MatrixCommand.USAGE);
    }

    private static JsonNode report(String cells) throws Exception {
        return new ObjectMapper().readTree("{\"cells\": [" + cells + "]}");
    }

    private static String cell(int seedIndex, String status, String key) {
        return """
                {"model": "small-cnn", "attack": "badnets", "defense": "ft", "seedIndex": %d, "status": "%s",
                 "pipelineKey": "%s", "runId": 7, "metrics": {"ASR": 0.5}, "wallSeconds": 1, "peakRssMb": 1}"""
                .formatted(seedIndex, status, key);
    }

    @Test
    void a_part_with_fewer_seeds_than_the_earlier_report_reports_the_report_s_seeds_and_changes_nothing_else()
            throws Exception {
        BenchPlan asked = new BenchPlan("it", 1, "fashion-mnist", List.of(new BenchPlan.ModelRecipe("small-cnn",
                "small-cnn", Map.of(), BenchPlan.recipe(1), 300, 100, 1)), List.of("badnets"), List.of(), 0.05, 0.1);
        MatrixRecord threeSeeds = MatrixRecord.read(report(cell(0, "SUCCEEDED", "a") + "," + cell(2, "SUCCEEDED", "c")));
        assertEquals(3, threeSeeds.seeds(), "the largest seed index + 1");

        BenchPlan reported = MatrixCommand.reported(asked, threeSeeds);
        assertEquals(3, reported.seeds());
        assertEquals(asked.withSeeds(3), reported, "only the number of seeds changes");
        assertEquals(3, reported.cells().size(), "the undefended cell of seeds 1, 2 and 3");

        assertSame(asked, MatrixCommand.reported(asked, MatrixRecord.EMPTY));
        BenchPlan five = asked.withSeeds(5);
        assertSame(five, MatrixCommand.reported(five, threeSeeds), "a part with more seeds reports its own");
        MatrixRecord failedOrUnkeyed = MatrixRecord.read(report(cell(0, "SUCCEEDED", "a") + "," + cell(2, "FAILED", "c")
                + "," + cell(3, "SUCCEEDED", "")));
        assertEquals(1, failedOrUnkeyed.seeds(), "failed and unfingerprinted cells are not in the record");
        assertSame(asked, MatrixCommand.reported(asked, failedOrUnkeyed));
    }
}
