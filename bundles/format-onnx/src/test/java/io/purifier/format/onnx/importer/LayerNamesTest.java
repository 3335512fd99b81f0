package io.purifier.format.onnx.importer;

import io.purifier.format.onnx.proto.OnnxNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Engine names from ONNX node and initializer names. */
class LayerNamesTest {

    private static OnnxNode node(String name, String op) {
        return OnnxNode.of(name, op, List.of(), List.of("out"));
    }

    @Test
    void torch_scopes_give_module_paths() {
        assertEquals(List.of("layer4", "layer4.1", "layer4.1.conv1"), LayerNames.scopes("/layer4/layer4.1/conv1/Conv"));
        assertEquals(List.of("features", "features.0"), LayerNames.scopes("/features/features.0/Conv"));
        assertEquals(List.of("layer2", "layer2.0", "layer2.0.shortcut", "layer2.0.shortcut.0"),
                LayerNames.scopes("/layer2/layer2.0/shortcut/shortcut.0/Conv"));
        assertEquals(List.of(), LayerNames.scopes("/Relu_1"));
        assertEquals(List.of(), LayerNames.scopes("Conv_0"));
    }

    @Test
    void a_module_with_one_node_is_named_after_the_module_and_shared_modules_add_the_operator() {
        OnnxNode conv = node("/layer4/layer4.1/conv1/Conv", "Conv");
        OnnxNode relu = node("/layer4/layer4.1/Relu", "Relu");
        OnnxNode relu1 = node("/layer4/layer4.1/Relu_1", "Relu");
        OnnxNode add = node("/layer4/layer4.1/Add", "Add");
        LayerNames names = new LayerNames(List.of(conv, relu, relu1, add));
        assertEquals("layer4.1.conv1", names.name(conv, "onnx::Conv_197"));
        assertEquals("layer4.1.relu", names.name(relu, null));
        assertEquals("layer4.1.relu_1", names.name(relu1, null));
        assertEquals("layer4.1.add", names.name(add, null));
    }

    @Test
    void weights_named_like_module_parameters_win_and_names_stay_unique() {
        OnnxNode gemm = node("Gemm_7", "Gemm");
        OnnxNode bare = node("", "Relu");
        OnnxNode root = node("/Relu", "Relu");
        LayerNames names = new LayerNames(List.of(gemm, bare, root));
        assertEquals("classifier.4", names.name(gemm, "classifier.4.weight"));
        assertEquals("relu", names.name(bare, null));
        assertEquals("relu_2", names.name(root, null));
        assertEquals("Gemm_7", names.name(gemm, "onnx::Gemm_12"));
        assertEquals("norm_2", names.unique("norm"), "the engine's own node names are taken");
    }
}
