package io.purifier.data.testing;

import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ParamSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;

class ReadmeTablesTest {

    @TempDir
    Path dir;

    private static final ParamDescriptor DESCRIPTOR = ParamDescriptor.of(
            ParamSpec.integer("targetLabel", 0, 0, 9, "target"),
            ParamSpec.text("triggerImage", "", "picture"));

    @Test
    void a_table_with_one_row_per_parameter_and_its_default_passes() throws Exception {
        Path readme = Files.writeString(dir.resolve("README.md"), """
                | Parameter | Default |
                |---|---|
                | `targetLabel` | `0` | class |
                | `triggerImage` | (none) | picture |
                """);
        ReadmeTables.assertParameterTable(readme, DESCRIPTOR);
    }

    @Test
    void a_wrong_default_a_wrong_order_or_a_missing_row_fails() throws Exception {
        Path wrongDefault = Files.writeString(dir.resolve("a.md"), "| `targetLabel` | `1` |\n| `triggerImage` | (none) |\n");
        assertThrows(AssertionFailedError.class, () -> ReadmeTables.assertParameterTable(wrongDefault, DESCRIPTOR));
        Path swapped = Files.writeString(dir.resolve("b.md"), "| `triggerImage` | (none) |\n| `targetLabel` | `0` |\n");
        assertThrows(AssertionFailedError.class, () -> ReadmeTables.assertParameterTable(swapped, DESCRIPTOR));
        Path missing = Files.writeString(dir.resolve("c.md"), "| `targetLabel` | `0` |\n");
        assertThrows(AssertionFailedError.class, () -> ReadmeTables.assertParameterTable(missing, DESCRIPTOR));
    }
}
