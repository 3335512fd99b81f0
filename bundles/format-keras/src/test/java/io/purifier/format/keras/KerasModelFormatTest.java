package io.purifier.format.keras;

import io.purifier.api.model.Model;
import io.purifier.api.model.ModelFormatException;
import io.purifier.engine.model.EngineModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fixtures: copies of the engine's {@code keras/tiny_cnn*} test resources (written by make_fixture.py). */
class KerasModelFormatTest {

    private final KerasModelFormat format = new KerasModelFormat();

    @TempDir
    Path dir;

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(KerasModelFormatTest.class.getResource("/" + name).toURI());
    }

    private static double[][] csv(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(l -> !l.isBlank())
                .map(l -> Arrays.stream(l.split(",")).mapToDouble(Double::parseDouble).toArray())
                .toArray(double[][]::new);
    }

    @Test
    void describes_itself_as_a_read_only_h5_format() {
        assertEquals("keras-h5", format.id());
        assertTrue(format.fileExtensions().contains("h5"));
        assertFalse(format.canSave());
        assertEquals(List.of("classNames", "mean", "std"),
                format.parameters().specs().stream().map(s -> s.name()).toList());
    }

    @Test
    void loads_the_fixture_with_its_class_names_and_numpy_logits() throws Exception {
        Model m = format.load(resource("tiny_cnn.h5"),
                format.parameters().resolve(Map.of("classNames", "cat, dog, bird")));
        assertInstanceOf(EngineModel.class, m);
        assertEquals(List.of("cat", "dog", "bird"), m.info().classNames());
        assertEquals("1x8x8", m.info().inputShape());
        double[][] x = csv(resource("tiny_cnn_inputs.csv"));
        double[][] expected = csv(resource("tiny_cnn_logits.csv"));
        INDArray logits = m.logits(Nd4j.create(x).castTo(DataType.FLOAT).reshape('c', x.length, 1, 8, 8));
        for (int i = 0; i < expected.length; i++) {
            for (int k = 0; k < 3; k++) {
                assertEquals(expected[i][k], logits.getDouble(i, k), 1e-4, "logit " + i + "," + k);
            }
        }
    }

    @Test
    void applies_the_normalization_parameters() throws Exception {
        Model m = format.load(resource("tiny_cnn.h5"),
                format.parameters().resolve(Map.of("mean", List.of(0.5), "std", List.of(0.25))));
        assertEquals(0.5, m.info().normalization().mean()[0]);
        assertEquals(0.25, m.info().normalization().std()[0]);
    }

    @Test
    void rejects_a_file_that_is_not_hdf5() throws IOException {
        Path file = dir.resolve("model.h5");
        Files.write(file, new byte[]{'P', 'K', 3, 4, 0, 0, 0, 0, 0, 0});
        var e = assertThrows(ModelFormatException.class, () -> format.load(file, format.parameters().defaults()));
        assertTrue(e.getMessage().contains("model.h5") && e.getMessage().contains("not an HDF5 file"), e.getMessage());
    }
}
