package io.purifier.engine.importer;

import io.purifier.api.param.InvalidParametersException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ImportParametersTest {

    @Test
    void class_names_are_split_and_trimmed_and_blank_means_none() {
        assertEquals(List.of("cat", "dog", "bird"), ImportParameters.classNames(" cat,dog , bird"));
        assertEquals(List.of(), ImportParameters.classNames("  "));
    }

    @Test
    void an_empty_or_repeated_class_name_is_a_problem_naming_the_parameter() {
        var empty = assertThrows(InvalidParametersException.class, () -> ImportParameters.classNames("a,,b"));
        assertEquals("classNames", empty.parameter());
        var repeated = assertThrows(InvalidParametersException.class, () -> ImportParameters.classNames("a,b,a"));
        assertEquals("classNames", repeated.parameter());
    }

    @Test
    void normalization_needs_one_std_per_mean() {
        assertNull(ImportParameters.normalization(List.of(), List.of()));
        var n = ImportParameters.normalization(List.of(0.5, 0.4), List.of(0.25, 0.2));
        assertArrayEquals(new double[]{0.5, 0.4}, n.mean());
        assertArrayEquals(new double[]{0.25, 0.2}, n.std());
        var problem = assertThrows(InvalidParametersException.class,
                () -> ImportParameters.normalization(List.of(0.5), List.of()));
        assertEquals("std", problem.parameter());
    }
}
