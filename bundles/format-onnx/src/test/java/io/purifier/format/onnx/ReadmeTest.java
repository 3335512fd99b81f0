package io.purifier.format.onnx;

import io.purifier.data.testing.ReadmeTables;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

class ReadmeTest {

    @Test
    void parameter_table_lists_every_descriptor_parameter_with_its_default() {
        ReadmeTables.assertParameterTable(Path.of("README.md"), OnnxModelFormat.DESCRIPTOR);
    }
}
