package io.purifier.api.param;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParamDescriptorTest {

    private static final ParamDescriptor DESCRIPTOR = ParamDescriptor.of(
            ParamSpec.integer("epochs", 10, 0, 1000, "Training epochs.").withUnit("epochs"),
            ParamSpec.real("lr", 0.01, 1e-6, 10, "Learning rate."),
            ParamSpec.bool("warmup", true, "Warm up first."),
            ParamSpec.choice("norm", "L2", List.of("L2", "Linf"), "Perturbation norm."),
            ParamSpec.realList("ratios", List.of(0.01, 0.27), 0, 1, "Per-stage ratios."),
            ParamSpec.text("layer", "conv2", "Insertion layer."));

    @Test
    void fills_defaults_in_descriptor_order() {
        ResolvedParams p = DESCRIPTOR.resolve(Map.of());
        assertEquals(List.of("epochs", "lr", "warmup", "norm", "ratios", "layer"), List.copyOf(p.asMap().keySet()));
        assertEquals(10, p.integer("epochs"));
        assertEquals(0.01, p.real("lr"));
        assertTrue(p.bool("warmup"));
        assertEquals("L2", p.text("norm"));
        assertEquals(List.of(0.01, 0.27), p.realList("ratios"));
    }

    @Test
    void converts_json_and_form_values() {
        ResolvedParams p = DESCRIPTOR.resolve(Map.of("epochs", 3.0, "lr", "0.5", "warmup", "false",
                "ratios", "0.1, 0.2", "norm", "Linf"));
        assertEquals(3, p.integer("epochs"));
        assertEquals(0.5, p.real("lr"));
        assertEquals(false, p.bool("warmup"));
        assertEquals(List.of(0.1, 0.2), p.realList("ratios"));
        assertEquals("Linf", p.text("norm"));
    }

    @ParameterizedTest
    @CsvSource({"epochs, -1, must be at least 0", "epochs, 2.5, expected a whole number", "lr, 11, must be at most 10",
            "lr, abc, expected a finite number", "lr, NaN, expected a finite number", "warmup, yes, expected true or false",
            "norm, L1, must be one of", "ratios, '0.5,1.5', element 1.5 must be at most 1"})
    void rejects_bad_value_and_names_parameter_and_value(String name, String value, String message) {
        InvalidParametersException e = assertThrows(InvalidParametersException.class,
                () -> DESCRIPTOR.resolve(Map.of(name, value)));
        assertEquals(name, e.parameter());
        assertEquals(value, e.problems().get(0).value());
        assertTrue(e.problems().get(0).message().contains(message), e.problems().get(0).message());
        assertTrue(e.getMessage().contains(name) && e.getMessage().contains(value), e.getMessage());
    }

    @Test
    void lists_every_problem_including_unknown_names() {
        List<ParamProblem> problems = DESCRIPTOR.problems(Map.of("epochs", -5, "lr", 100, "typo", 1));
        assertEquals(3, problems.size());
        assertTrue(problems.stream().anyMatch(p -> p.parameter().equals("typo") && p.message().startsWith("unknown parameter")));
    }

    @Test
    void refuses_inconsistent_specs_at_declaration() {
        assertThrows(IllegalArgumentException.class, () -> ParamSpec.integer("n", 5, 10, 20, ""));
        assertThrows(IllegalArgumentException.class, () -> ParamSpec.choice("c", "x", List.of("a", "b"), ""));
        assertThrows(IllegalArgumentException.class, () -> ParamDescriptor.of(
                ParamSpec.bool("a", true, ""), ParamSpec.bool("a", false, "")));
    }

    @Test
    void problem_can_be_prefixed_with_its_place_in_a_pipeline() {
        ParamProblem problem = new ParamProblem("epochs", -1, "must be at least 0").under("defenses[0].params");
        assertEquals("defenses[0].params.epochs", problem.parameter());
    }
}
