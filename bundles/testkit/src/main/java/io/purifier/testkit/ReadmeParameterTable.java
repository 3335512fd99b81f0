package io.purifier.testkit;

import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ParamSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks a plugin README's parameter table against its descriptor, because text drifts: the rows starting with
 * {@code | `name` |} under the {@code ## Parameters} heading (up to the next {@code ## }) must list every parameter
 * in descriptor order, each with its default as {@code | `default` |} ({@code (auto)} for an empty text default).
 */
public final class ReadmeParameterTable {

    private ReadmeParameterTable() {
    }

    /** Asserts that {@code readme}'s table matches {@code descriptor}. */
    public static void check(Path readme, ParamDescriptor descriptor) throws IOException {
        List<String> lines = Files.readAllLines(readme);
        int start = lines.indexOf("## Parameters");
        assertTrue(start >= 0, readme + " has a '## Parameters' section");
        List<String> rows = lines.subList(start + 1, lines.size()).stream()
                .takeWhile(line -> !line.startsWith("## "))
                .filter(line -> line.startsWith("| `"))
                .toList();
        List<ParamSpec> specs = descriptor.specs();
        assertEquals(specs.size(), rows.size(), "one table row per parameter in " + readme);
        for (int i = 0; i < specs.size(); i++) {
            ParamSpec spec = specs.get(i);
            String row = rows.get(i);
            assertTrue(row.startsWith("| `" + spec.name() + "` |"), "row " + i + " should describe " + spec.name() + ": " + row);
            String shown = "".equals(spec.defaultValue()) ? "(auto)" : "`" + spec.defaultValue() + "`";
            assertTrue(row.contains("| " + shown + " |"), spec.name() + " default " + shown + " in " + row);
        }
    }
}
