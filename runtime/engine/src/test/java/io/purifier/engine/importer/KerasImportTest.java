package io.purifier.engine.importer;

import io.purifier.api.data.Normalization;
import io.purifier.api.model.ModelFormatException;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.train.Optimizer;
import io.purifier.engine.train.TrainStep;
import org.junit.jupiter.api.BeforeAll;
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

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fixtures are written by {@code src/test/resources/keras/make_fixture.py} (h5py + numpy). */
class KerasImportTest {

    private static Path tinyCnn;
    private static INDArray inputs;
    private static double[][] expectedLogits;

    @TempDir
    Path dir;

    @BeforeAll
    static void fixtures() throws IOException, URISyntaxException {
        tinyCnn = resource("tiny_cnn.h5");
        double[][] x = csv(resource("tiny_cnn_inputs.csv"));
        inputs = Nd4j.create(x).castTo(DataType.FLOAT).reshape('c', x.length, 1, 8, 8);
        expectedLogits = csv(resource("tiny_cnn_logits.csv"));
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(KerasImportTest.class.getResource("/keras/" + name).toURI());
    }

    private static double[][] csv(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(l -> !l.isBlank())
                .map(l -> Arrays.stream(l.split(",")).mapToDouble(Double::parseDouble).toArray())
                .toArray(double[][]::new);
    }

    @Test
    void imported_model_reproduces_the_numpy_logits() {
        EngineModel m = KerasImport.load(tinyCnn, List.of(), null);
        INDArray logits = m.logits(inputs);
        assertArrayEquals(new long[]{5, 3}, logits.shape());
        double maxErr = 0;
        for (int i = 0; i < 5; i++) {
            for (int k = 0; k < 3; k++) {
                maxErr = Math.max(maxErr, Math.abs(logits.getDouble(i, k) - expectedLogits[i][k]));
            }
        }
        assertTrue(maxErr < 1e-4, "max abs error " + maxErr);
    }

    @Test
    void imported_model_has_keras_layer_names_and_default_class_names() {
        EngineModel m = KerasImport.load(tinyCnn, List.of(), null);
        assertEquals(List.of("0", "1", "2"), m.info().classNames());
        assertEquals(KerasImport.ARCHITECTURE, m.info().architecture());
        assertEquals(List.of("conv2d", "batch_normalization", "activation", "max_pooling2d", "conv2d_1",
                "conv2d_1_act", "dense", "dense_act", "dense_1"), m.layerNames());
        assertEquals(1, m.batchNormLayers().size());
    }

    @Test
    void normalization_is_applied_before_the_keras_layers() {
        EngineModel plain = KerasImport.load(tinyCnn, List.of("a", "b", "c"), null);
        EngineModel scaled = KerasImport.load(tinyCnn, List.of("a", "b", "c"),
                new Normalization(new double[]{0.5}, new double[]{0.25}));
        assertEquals(List.of("a", "b", "c"), scaled.info().classNames());
        INDArray expected = plain.logits(inputs.sub(0.5).mul(4.0));
        INDArray actual = scaled.logits(inputs);
        assertTrue(expected.equalsWithEps(actual, 1e-5), expected + " vs " + actual);
    }

    @Test
    void one_training_step_changes_the_weights_and_lowers_the_loss() {
        EngineModel m = KerasImport.load(tinyCnn, List.of(), null);
        INDArray before = m.array("conv2d/W").dup();
        var loss = io.purifier.engine.train.Objective.crossEntropy(new int[]{2, 2, 2, 2, 2});
        Optimizer sgd = Optimizer.sgd(0.0, 0.0);
        double first = TrainStep.run(m, inputs, loss, sgd, 0.1).loss();
        assertFalse(before.equals(m.array("conv2d/W")), "conv2d/W unchanged");
        double second = TrainStep.run(m, inputs, loss, sgd, 0.1).loss();
        assertTrue(second < first, first + " -> " + second);
    }

    @Test
    void rejects_a_file_that_is_not_hdf5() throws IOException {
        Path file = dir.resolve("garbage.h5");
        Files.writeString(file, "this is not a model");
        var e = assertThrows(ModelFormatException.class, () -> KerasImport.load(file, List.of(), null));
        assertTrue(e.getMessage().contains("garbage.h5") && e.getMessage().contains("not an HDF5 file"), e.getMessage());
        var missing = assertThrows(ModelFormatException.class, () -> KerasImport.load(dir.resolve("none.h5"), List.of(), null));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    }

    @Test
    void rejects_a_truncated_hdf5_file() throws IOException {
        Path file = dir.resolve("cut.h5");
        byte[] all = Files.readAllBytes(tinyCnn);
        Files.write(file, Arrays.copyOf(all, 2000));
        var e = assertThrows(ModelFormatException.class, () -> KerasImport.load(file, List.of(), null));
        assertTrue(e.getMessage().contains("cut.h5"), e.getMessage());
    }

    @Test
    void rejects_an_unsupported_layer_type_by_name() throws URISyntaxException {
        var e = assertThrows(ModelFormatException.class, () -> KerasImport.load(resource("lstm.h5"), List.of(), null));
        assertTrue(e.getMessage().contains("layer type LSTM not supported"), e.getMessage());
    }

    @Test
    void rejects_class_names_that_do_not_match_the_outputs() {
        var e = assertThrows(ModelFormatException.class, () -> KerasImport.load(tinyCnn, List.of("a", "b"), null));
        assertTrue(e.getMessage().contains("3 outputs but 2 class names"), e.getMessage());
    }
}
