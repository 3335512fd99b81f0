package io.purifier.defense.ftsam;

import io.purifier.api.param.ParamSpec;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReadmeTest {

    @Test
    void parameter_table_lists_every_descriptor_parameter_with_its_default() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("README.md"));
        int start = lines.indexOf("## Parameters");
        assertTrue(start >= 0, "README needs a Parameters section");
        List<String> rows = lines.subList(start + 1, lines.size()).stream()
                .takeWhile(line -> !line.startsWith("## "))
                .filter(line -> line.startsWith("| `"))
                .toList();
        List<ParamSpec> specs = FtSamParams.DESCRIPTOR.specs();
        assertEquals(specs.size(), rows.size(), "one table row per parameter");
        for (int i = 0; i < specs.size(); i++) {
            ParamSpec spec = specs.get(i);
            String row = rows.get(i);
            assertTrue(row.startsWith("| `" + spec.name() + "` |"), "row " + i + " should describe " + spec.name());
            String shownDefault = "`" + spec.defaultValue() + "`";
            assertTrue(row.contains("| " + shownDefault + " |"), spec.name() + " default " + shownDefault + " in " + row);
        }
    }
}
