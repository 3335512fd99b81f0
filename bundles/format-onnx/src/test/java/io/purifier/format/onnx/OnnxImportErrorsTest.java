package io.purifier.format.onnx;

import io.purifier.api.model.ModelFormatException;
import io.purifier.format.onnx.importer.OnnxImporter;
import io.purifier.format.onnx.proto.OnnxNode;
import io.purifier.format.onnx.proto.OnnxTensor;
import io.purifier.format.onnx.proto.OnnxValueInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.purifier.format.onnx.proto.OnnxAttribute.ofInt;
import static io.purifier.format.onnx.proto.OnnxAttribute.ofString;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every refusal is a {@link ModelFormatException} naming the file and what is wrong (operator and node where one is). */
class OnnxImportErrorsTest {

    @TempDir
    Path dir;

    private static void refused(Path file, String... fragments) {
        var e = assertThrows(ModelFormatException.class, () -> OnnxImporter.load(file, List.of(), null));
        assertTrue(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + f + "' in: " + e.getMessage());
        }
    }

    private static TestGraph images() {
        return TestGraph.images(13, 2, 7, 7);
    }

    @Test
    void files_that_are_not_onnx() throws IOException {
        refused(Files.write(dir.resolve("text.onnx"), "hello, I am a text file\n".getBytes()), "not an ONNX model");
        refused(Files.write(dir.resolve("empty.onnx"), new byte[0]), "not an ONNX model");
        byte[] real = Files.readAllBytes(Samples.resource("small_cnn.onnx"));
        refused(Files.write(dir.resolve("truncated.onnx"), Arrays.copyOf(real, real.length / 2)), "not an ONNX model");
        refused(dir.resolve("missing.onnx"), "does not exist");
    }

    @Test
    void unsupported_operators_are_named_with_their_node() {
        Path file = images().ints("sizes", 1, 2, 14, 14)
                .node(OnnxNode.of("/up/Resize", "Resize", List.of("x", "", "", "sizes"), List.of("r")))
                .node(new OnnxNode("/custom", "FusedConv", "com.microsoft", List.of("r"), List.of("c"), Map.of()))
                .node("Flatten", List.of("c"), "y").write(dir, "resize", "y", 392);
        refused(file, "operator Resize (node '/up/Resize')", "operator com.microsoft:FusedConv (node '/custom')",
                "not supported", "supported operators: ");
    }

    @Test
    void operator_sets_outside_9_to_17() {
        refused(TestGraph.images(8, 2, 7, 7).node("Flatten", List.of("x"), "y").write(dir, "old", "y", 98),
                "operator set 8", "9 to 17");
        refused(TestGraph.images(18, 2, 7, 7).node("Flatten", List.of("x"), "y").write(dir, "new", "y", 98),
                "operator set 18");
    }

    @Test
    void inputs_that_are_not_one_fixed_size_nchw_float_image() {
        OnnxValueInfo second = new OnnxValueInfo("z", OnnxTensor.FLOAT, List.of(TestGraph.dim(1)));
        refused(images().input(second).node("Flatten", List.of("x"), "y").write(dir, "two", "y", 98),
                "exactly one input", "[x, z]");
        OnnxValueInfo flat = new OnnxValueInfo("x", OnnxTensor.FLOAT, List.of(new OnnxValueInfo.Dim(-1, "N"),
                TestGraph.dim(98)));
        refused(TestGraph.withInput(13, flat).node("Identity", List.of("x"), "y").write(dir, "flat", "y", 98),
                "[N, C, H, W]");
        OnnxValueInfo free = new OnnxValueInfo("x", OnnxTensor.FLOAT, List.of(TestGraph.dim(1), TestGraph.dim(2),
                new OnnxValueInfo.Dim(-1, "height"), TestGraph.dim(7)));
        refused(TestGraph.withInput(13, free).node("Flatten", List.of("x"), "y").write(dir, "free", "y", 98),
                "fixed", "height");
        OnnxValueInfo ints = new OnnxValueInfo("x", OnnxTensor.INT64, List.of(TestGraph.dim(1), TestGraph.dim(2),
                TestGraph.dim(7), TestGraph.dim(7)));
        refused(TestGraph.withInput(13, ints).node("Flatten", List.of("x"), "y").write(dir, "ints", "y", 98),
                "float32", "INT64");
    }

    @Test
    void graphs_the_engine_cannot_express() {
        refused(images().node("Softmax", List.of("x"), "s", ofInt("axis", 1)).node("Flatten", List.of("s"), "y")
                .write(dir, "softmax", "y", 98), "Softmax node '/s/Softmax'", "last operation");
        refused(images().ints("p", 0, 0, 1, 1, 0, 0, 1, 1).node("Pad", List.of("x", "p"), "p2",
                ofString("mode", "reflect")).node("Flatten", List.of("p2"), "y").write(dir, "reflect", "y", 162),
                "Pad node", "'reflect'");
        refused(images().node("Flatten", List.of("x"), "y", ofInt("axis", 2)).write(dir, "axis2", "y", 49),
                "Flatten node '/y/Flatten'", "merge the batch");
        refused(images().node("Flatten", List.of("x"), "f").node("MatMul", List.of("f", "f"), "y")
                .write(dir, "matmul", "y", 98), "MatMul node", "must be a constant");
        refused(images().random("k", 3, 2, 7, 7).node("Add", List.of("x", "k"), "a").node("Flatten", List.of("a"), "y")
                .write(dir, "batch_constant", "y", 98), "Add node", "broadcast over the batch");
        refused(images().ints("s", 2, -1).node("Reshape", List.of("x", "s"), "y").write(dir, "reshape", "y", 49),
                "Reshape node", "does not keep the batch");
        refused(images().random("w", 4, 2, 3, 3).node("Conv", List.of("x", "w"), "c")
                .node("Gemm", List.of("x", "w"), "y", ofInt("transA", 1)).write(dir, "gemm", "y", 4), "transA");
    }

    @Test
    void weights_in_an_external_file_are_refused_with_advice() {
        OnnxTensor external = new OnnxTensor("w", new long[]{4, 2, 3, 3}, OnnxTensor.FLOAT, null, null, null, null, true);
        refused(images().tensor(external).node("Conv", List.of("x", "w"), "c").node("Flatten", List.of("c"), "y")
                .write(dir, "external", "y", 100), "external file", "'w'");
    }

    @Test
    void class_names_must_match_the_outputs() {
        Path file = images().node("GlobalAveragePool", List.of("x"), "g").node("Flatten", List.of("g"), "y")
                .write(dir, "two_classes", "y", 2);
        var e = assertThrows(ModelFormatException.class, () -> OnnxImporter.load(file, List.of("a", "b", "c"), null));
        assertTrue(e.getMessage().contains("2 outputs but 3 class names"), e.getMessage());
    }

    @Test
    void a_raw_buffer_of_the_wrong_size_is_named() {
        OnnxTensor bad = new OnnxTensor("w", new long[]{4, 2, 3, 3}, OnnxTensor.FLOAT, ByteBuffer.allocate(12), null,
                null, null, false);
        refused(images().tensor(bad).node("Conv", List.of("x", "w"), "c").node("Flatten", List.of("c"), "y")
                .write(dir, "short", "y", 100), "tensor 'w'", "12 bytes");
    }
}
