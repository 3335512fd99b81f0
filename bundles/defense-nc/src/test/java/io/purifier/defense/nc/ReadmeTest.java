package io.purifier.defense.nc;

import io.purifier.testkit.ReadmeParameterTable;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

class ReadmeTest {

    @Test
    void parameter_table_lists_every_descriptor_parameter_with_its_default() throws Exception {
        ReadmeParameterTable.check(Path.of("README.md"), NcParams.DESCRIPTOR);
    }
}
