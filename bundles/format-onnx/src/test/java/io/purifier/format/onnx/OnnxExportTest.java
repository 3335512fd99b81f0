package io.purifier.format.onnx;

import io.purifier.engine.blocks.ChannelMask;
import io.purifier.engine.blocks.LayerInsertion;
import io.purifier.engine.model.EngineModel;
import io.purifier.format.onnx.exporter.OnnxExporter;
import io.purifier.format.onnx.importer.OnnxImporter;
import io.purifier.format.onnx.meta.PurifierMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Engine models written as ONNX and run in ONNX Runtime on real Fashion-MNIST images reproduce the engine's logits
 * within 1e-4: zoo models, a purified PreAct-ResNet with NPD's polarizer and a channel mask, a network of every layer
 * type the importer makes, and a model whose normalization must stay in the graph. Importing an export restores the
 * model: logits, layer names, class names, normalization.
 */
class OnnxExportTest {

    @TempDir
    Path dir;

    /** Exports {@code model}, runs the file in ONNX Runtime and compares with the engine; returns the file. */
    private Path exportAndCompare(EngineModel model, String name) {
        Path file = dir.resolve(name + ".onnx");
        OnnxExporter.save(model, file);
        INDArray pixels = Samples.images(48);
        boolean pixelInput = "pixels".equals(OnnxExporter.export(model).metadata().get(PurifierMetadata.INPUT));
        INDArray expected = model.logits(pixels);
        INDArray actual = Ort.run(file, pixelInput ? pixels : Samples.normalized(pixels));
        assertEquals(0.0, actual.sub(expected).amaxNumber().doubleValue(), 1e-4, name + ": ONNX Runtime vs engine");
        return file;
    }

    @Test
    void zoo_models_run_in_onnx_runtime_with_the_engine_logits() {
        exportAndCompare(TestNetworks.zoo("small-cnn", Map.of("batchNorm", true), 1), "small-cnn");
        exportAndCompare(TestNetworks.zoo("vgg-small", Map.of("widthMultiplier", 0.25), 2), "vgg-small");
        exportAndCompare(TestNetworks.zoo("preact-resnet18", Map.of("widthMultiplier", 0.125), 3), "preact");
    }

    @Test
    void a_purified_model_with_the_polarizer_and_a_channel_mask_exports() {
        EngineModel model = TestNetworks.zoo("preact-resnet18", Map.of("widthMultiplier", 0.125), 4);
        LayerInsertion.insertIdentityConvBn(model, "layer4.1.conv1", LayerInsertion.Placement.INPUT, "npd", 9);
        TestNetworks.randomizeBatchNorm(model, 11);
        boolean[] keep = new boolean[32];
        for (int c = 0; c < keep.length; c++) {
            keep[c] = c % 3 != 0;
        }
        ChannelMask.apply(model, "layer3", keep);
        Path file = exportAndCompare(model, "purified");
        EngineModel back = OnnxImporter.load(file, List.of(), null);
        assertEquals(model.layerNames(), back.layerNames(), "layer names survive the round trip");
        assertTrue(back.layerNames().contains("npd.conv") && back.layerNames().contains("npd.bn"));
    }

    @Test
    void every_importer_layer_type_exports() {
        exportAndCompare(TestNetworks.everyLayer(), "every-layer");
    }

    @Test
    void a_model_reading_raw_pixels_keeps_its_normalization_in_the_graph() {
        EngineModel model = TestNetworks.pixelSkip();
        exportAndCompare(model, "pixel-skip");
        assertEquals("pixels", OnnxExporter.export(model).metadata().get(PurifierMetadata.INPUT));
    }

    @Test
    void importing_an_export_restores_logits_names_classes_and_normalization() {
        EngineModel model = TestNetworks.zoo("preact-resnet18", Map.of("widthMultiplier", 0.125), 5);
        model.setProperty("defenses", "npd");
        Path file = exportAndCompare(model, "restore");
        EngineModel back = OnnxImporter.load(file, List.of(), null);
        INDArray pixels = Samples.images(16);
        assertEquals(0.0, back.logits(pixels).sub(model.logits(pixels)).amaxNumber().doubleValue(), 1e-5);
        assertEquals(model.layerNames(), back.layerNames());
        assertEquals(model.info().classNames(), back.info().classNames());
        assertEquals(model.info().normalization(), back.info().normalization());
        assertEquals("npd", back.info().properties().get("defenses"));
        assertEquals(model.parameterNames().size(), back.parameterNames().size());
    }

    @Test
    void an_imported_pytorch_model_exports_back_to_the_same_onnx_outputs() {
        EngineModel imported = OnnxImporter.load(Samples.resource("preact_resnet18.onnx"), List.of(),
                TestNetworks.FASHION);
        Path file = exportAndCompare(imported, "reexport");
        INDArray input = Samples.normalized(Samples.images(32));
        INDArray original = Ort.run(Samples.resource("preact_resnet18.onnx"), input);
        assertEquals(0.0, Ort.run(file, input).sub(original).amaxNumber().doubleValue(), 1e-4);
    }
}
