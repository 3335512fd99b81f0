package io.purifier.data.testing;

import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ParamSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks a plugin README's parameter table against the plugin's descriptor. */
public final class ReadmeTables {

    private ReadmeTables() {
    }

    /**
     * Asserts that the table rows of {@code readme} (lines starting with {@code | `}) describe the descriptor's
     * parameters one per row, in order, each row naming the parameter in its first cell and showing its default as
     * {@code | `default` |} ({@code | (none) |} for an empty text default).
     */
    public static void assertParameterTable(Path readme, ParamDescriptor descriptor) {
        List<String> rows;
        try {
            rows = Files.readAllLines(readme).stream()
                    .filter(line -> line.startsWith("| `"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<ParamSpec> specs = descriptor.specs();
        assertEquals(specs.size(), rows.size(), "one table row per parameter");
        for (int i = 0; i < specs.size(); i++) {
            ParamSpec spec = specs.get(i);
            String row = rows.get(i);
            assertTrue(row.startsWith("| `" + spec.name() + "` |"), "row " + i + " should describe " + spec.name());
            String shownDefault = "".equals(spec.defaultValue()) ? "(none)" : "`" + spec.defaultValue() + "`";
            assertTrue(row.contains("| " + shownDefault + " |"), spec.name() + " default " + shownDefault + " in " + row);
        }
    }
}
