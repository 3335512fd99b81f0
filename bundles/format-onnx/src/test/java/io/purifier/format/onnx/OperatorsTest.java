package io.purifier.format.onnx;

import io.purifier.engine.model.EngineModel;
import io.purifier.format.onnx.importer.OnnxImporter;
import io.purifier.format.onnx.proto.OnnxAttribute;
import io.purifier.format.onnx.proto.OnnxTensor;
import io.purifier.format.onnx.proto.OnnxValueInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.nio.file.Path;
import java.util.List;

import static io.purifier.format.onnx.proto.OnnxAttribute.ofFloat;
import static io.purifier.format.onnx.proto.OnnxAttribute.ofInt;
import static io.purifier.format.onnx.proto.OnnxAttribute.ofInts;
import static io.purifier.format.onnx.proto.OnnxAttribute.ofString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Operator variants beyond the torch fixtures, each in a small graph written with the bundle's encoder: the imported
 * model's logits equal ONNX Runtime's on the same random images within 1e-4.
 */
class OperatorsTest {

    @TempDir
    Path dir;

    /** Imports {@code file}, runs both on 4 random 2x7x7 images, compares; returns the model. */
    private EngineModel check(Path file) {
        EngineModel model = OnnxImporter.load(file, List.of(), null);
        INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 4, model.info().channels(),
                model.info().height(), model.info().width());
        INDArray actual = model.logits(x);
        String dropped = model.info().properties().getOrDefault("onnx.droppedOutputOperator", "");
        if (dropped.startsWith("Softmax")) {
            actual = Transforms.softmax(actual, true);
        } else if (dropped.startsWith("LogSoftmax")) {
            actual = Transforms.log(Transforms.softmax(actual, true), true);
        }
        INDArray expected = Ort.run(file, x);
        assertEquals(0.0, actual.sub(expected).amaxNumber().doubleValue(), 1e-4, file.getFileName().toString());
        return model;
    }

    private static TestGraph images() {
        return TestGraph.images(13, 2, 7, 7);
    }

    @Test
    void convolutions_with_automatic_and_asymmetric_padding() {
        check(images().random("w", 4, 2, 3, 3).random("b", 4)
                .node("Conv", List.of("x", "w", "b"), "c", ofString("auto_pad", "SAME_UPPER"), ofInts("strides", 2, 2))
                .node("Flatten", List.of("c"), "y").write(dir, "same_upper", "y", 64));
        check(images().random("w", 4, 2, 3, 3)
                .node("Conv", List.of("x", "w"), "c", ofString("auto_pad", "SAME_LOWER"), ofInts("strides", 2, 2))
                .node("Flatten", List.of("c"), "y").write(dir, "same_lower", "y", 64));
        EngineModel m = check(images().random("w", 3, 2, 2, 3)
                .node("Conv", List.of("x", "w"), "c", ofInts("pads", 0, 1, 2, 1), ofInts("kernel_shape", 2, 3))
                .node("Flatten", List.of("c"), "y").write(dir, "asymmetric", "y", 3 * 8 * 7));
        assertTrue(m.network().nodes().stream().anyMatch(n -> n.layer().type().equals("pad2d")),
                "the asymmetric part becomes a padding node");
    }

    @Test
    void gemm_with_alpha_beta_untransposed_weights_and_scalar_bias_and_matmul_with_folded_add() {
        check(images().random("b", 98, 5).floats("c", new long[]{1}, 0.25f)
                .node("Flatten", List.of("x"), "f")
                .node("Gemm", List.of("f", "b", "c"), "y", ofFloat("alpha", 0.5f), ofFloat("beta", 2f))
                .write(dir, "gemm", "y", 5));
        check(images().random("b", 5, 98)
                .node("Flatten", List.of("x"), "f").node("Gemm", List.of("f", "b"), "y", ofInt("transB", 1))
                .write(dir, "gemm_no_bias", "y", 5));
        EngineModel m = check(images().random("w", 98, 6).random("bias", 6)
                .node("Flatten", List.of("x"), "f").node("MatMul", List.of("f", "w"), "m")
                .node("Add", List.of("bias", "m"), "y").write(dir, "matmul_add", "y", 6));
        assertEquals(List.of("input", "normalize", "flatten", "dense"),
                m.network().nodes().stream().map(n -> n.layer().type()).toList(), "MatMul + Add is one dense layer");
        assertTrue(m.hasArray("m/b"), "the addition became the dense layer's bias");
    }

    @Test
    void arithmetic_with_constants_and_broadcast_tensors() {
        check(images().floats("k", new long[0], 0.5f).random("s", 2, 1, 1).random("d", 1, 2, 1, 1)
                .node("Sub", List.of("k", "x"), "a").node("Mul", List.of("a", "s"), "b")
                .node("Div", List.of("b", "d"), "c")
                .node("GlobalAveragePool", List.of("c"), "g").node("Add", List.of("c", "g"), "e")
                .node("Mul", List.of("e", "g"), "h").node("Flatten", List.of("h"), "y")
                .write(dir, "arithmetic", "y", 98));
    }

    @Test
    void clips_in_both_operator_set_forms() {
        check(TestGraph.images(9, 2, 7, 7).node("Clip", List.of("x"), "c", ofFloat("min", 0.2f), ofFloat("max", 0.7f))
                .node("Flatten", List.of("c"), "y").write(dir, "clip9", "y", 98));
        check(images().floats("lo", new long[0], 0.3f)
                .node("Clip", List.of("x", "lo"), "c").node("Flatten", List.of("c"), "y").write(dir, "clip_min", "y", 98));
        check(images().floats("lo", new long[0], 0f).floats("hi", new long[0], 0.6f).random("w", 2, 2, 1, 1)
                .node("Conv", List.of("x", "w"), "v").node("Clip", List.of("v", "lo", "hi"), "c")
                .node("Flatten", List.of("c"), "y").write(dir, "relu6", "y", 98));
    }

    @Test
    void reshapes_squeezes_and_paddings() {
        check(images().ints("s", 0, -1).node("Reshape", List.of("x", "s"), "y").write(dir, "reshape", "y", 98));
        check(images().ints("a", 2, 3).ints("u", 2)
                .node("GlobalAveragePool", List.of("x"), "g").node("Squeeze", List.of("g", "a"), "q")
                .node("Unsqueeze", List.of("q", "u"), "v").node("Flatten", List.of("v"), "y")
                .write(dir, "squeeze", "y", 2));
        check(TestGraph.images(9, 2, 7, 7)
                .node("Pad", List.of("x"), "p", ofInts("pads", 0, 0, 1, 0, 0, 0, 0, 2), ofFloat("value", 0.5f))
                .node("Flatten", List.of("p"), "y").write(dir, "pad9", "y", 2 * 8 * 9));
    }

    @Test
    void pools_with_padding_ceil_mode_and_counted_padding() {
        check(images().node("AveragePool", List.of("x"), "a", ofInts("kernel_shape", 3, 3), ofInts("pads", 1, 1, 1, 1),
                ofInts("strides", 2, 2), ofInt("count_include_pad", 1))
                .node("MaxPool", List.of("a"), "m", ofInts("kernel_shape", 2, 2), ofInts("pads", 1, 1, 1, 1),
                        ofInts("strides", 2, 2), ofInt("ceil_mode", 1))
                .node("Flatten", List.of("m"), "y").write(dir, "pools", "y", 2 * 3 * 3));
    }

    @Test
    void batch_norm_dropout_identity_constant_and_a_final_log_softmax() {
        OnnxTensor scale = OnnxTensor.ofFloats("k", new long[]{2, 1, 1}, new float[]{1.5f, -0.5f});
        check(TestGraph.images(9, 2, 7, 7).random("g", 2).random("b", 2).floats("m", new long[]{2}, 0.1f, -0.2f)
                .floats("v", new long[]{2}, 0.5f, 2f)
                .node("BatchNormalization", List.of("x", "g", "b", "m", "v"), "n", ofFloat("epsilon", 1e-3f))
                .node("Dropout", List.of("n"), "d", ofFloat("ratio", 0.3f)).node("Identity", List.of("d"), "i")
                .node(io.purifier.format.onnx.proto.OnnxNode.of("const", "Constant", List.of(), List.of("k"),
                        OnnxAttribute.ofTensor("value", scale)))
                .node("Mul", List.of("i", "k"), "s").node("Flatten", List.of("s"), "f")
                .node("LogSoftmax", List.of("f"), "y").write(dir, "bn_softmax", "y", 98));
    }

    @Test
    void a_file_exported_with_batch_one_and_a_literal_reshape_runs_on_any_batch() {
        OnnxValueInfo fixed = new OnnxValueInfo("x", OnnxTensor.FLOAT, List.of(TestGraph.dim(1), TestGraph.dim(2),
                TestGraph.dim(7), TestGraph.dim(7)));
        check(TestGraph.withInput(13, fixed).ints("s", 1, -1).random("w", 98, 3)
                .node("Reshape", List.of("x", "s"), "r").node("MatMul", List.of("r", "w"), "y")
                .write(dir, "batch_one", "y", 3));
    }
}
