package io.purifier.format.onnx;

import io.purifier.engine.model.EngineModel;
import io.purifier.engine.zoo.InputSpec;
import io.purifier.engine.zoo.ModelZoo;
import io.purifier.format.onnx.exporter.OnnxExporter;
import io.purifier.format.onnx.importer.OnnxImporter;
import io.purifier.api.data.Normalization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Import time of an 11M-parameter PreAct-ResNet-18 (width 1.0, 3x32x32): the zoo model written by the exporter, or
 * the file named by {@code -Dpurifier.onnx.large=FILE} (for example {@code make_fixtures.py --full-width FILE}'s
 * PyTorch export). The import must take seconds, not minutes; the time is printed, and the imported model must still
 * agree with ONNX Runtime.
 */
class LargeModelImportTest {

    /** Generous bound for a loaded 2-core machine; a quiet one imports in about a second or two. */
    private static final double MAX_SECONDS = 60;

    @TempDir
    Path dir;

    @Test
    void an_11m_parameter_preact_resnet18_imports_in_seconds_and_agrees_with_onnx_runtime() throws Exception {
        String given = System.getProperty("purifier.onnx.large");
        Path file = given != null && !given.isBlank() ? Path.of(given) : zooExport();
        Nd4j.create(DataType.FLOAT, 8).addi(1);   // ND4J's natives load once per process (the server does it at start)
        long start = System.nanoTime();
        EngineModel model = OnnxImporter.load(file, List.of(), null);
        double seconds = (System.nanoTime() - start) / 1e9;
        long again = System.nanoTime();
        OnnxImporter.load(file, List.of(), null);
        double warm = (System.nanoTime() - again) / 1e9;
        long parameters = model.parameterNames().stream().mapToLong(p -> model.array(p).length()).sum();
        System.out.printf("ONNX import of %s (%,d bytes, %,d trainable parameters): %.2f s first in the process, "
                + "%.2f s again%n", file.getFileName(), Files.size(file), parameters, seconds, warm);
        assertTrue(parameters > 11_000_000, "an 11M-parameter model, got " + parameters);
        assertTrue(seconds < MAX_SECONDS, "import took " + seconds + " s");
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32);
        assertEquals(0.0, model.logits(x).sub(Ort.run(file, x)).amaxNumber().doubleValue(), 1e-4);
    }

    private Path zooExport() {
        var a = ModelZoo.architecture("preact-resnet18");
        EngineModel m = a.create(a.parameters().resolve(Map.of("widthMultiplier", 1.0)), new InputSpec(3, 32, 32,
                List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), Normalization.identity(3)), 1);
        assertEquals(11_171_146, m.parameterNames().stream().mapToLong(p -> m.array(p).length()).sum());
        Path file = dir.resolve("preact_resnet18_w1.onnx");
        OnnxExporter.save(m, file);
        return file;
    }
}
