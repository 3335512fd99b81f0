package io.purifier.format.onnx;

import io.purifier.api.model.Model;
import io.purifier.api.model.ModelFormatException;
import io.purifier.api.model.ModelInfo;
import io.purifier.engine.model.EngineModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.Mockito;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The format plugin: descriptor, parameters, loading with them, saving. */
class OnnxModelFormatTest {

    private final OnnxModelFormat format = new OnnxModelFormat();

    @TempDir
    Path dir;

    @Test
    void describes_itself_as_a_reading_and_writing_onnx_format() {
        assertEquals("onnx", format.id());
        assertEquals(List.of("onnx"), format.fileExtensions());
        assertTrue(format.canSave());
        assertEquals(List.of("classNames", "mean", "std"), format.parameters().specs().stream().map(s -> s.name()).toList());
    }

    @Test
    void loads_with_class_names_and_normalization_and_saves_back() throws Exception {
        Model m = format.load(Samples.resource("small_cnn.onnx"), format.parameters().resolve(Map.of(
                "classNames", "t-shirt, trouser, pullover, dress, coat, sandal, shirt, sneaker, bag, boot",
                "mean", List.of(Samples.MEAN), "std", List.of(Samples.STD))));
        assertInstanceOf(EngineModel.class, m);
        ModelInfo info = m.info();
        assertEquals("boot", info.classNames().get(9));
        assertEquals(Samples.STD, info.normalization().std()[0]);
        assertEquals("1x28x28", info.inputShape());
        Path out = dir.resolve("again.onnx");
        format.save(m, out);
        Model back = format.load(out, format.parameters().defaults());
        assertEquals(info.classNames(), back.info().classNames(), "the file's own class names are used");
        assertEquals(info.normalization(), back.info().normalization());
        assertTrue(Files.size(out) > 400_000);
    }

    @Test
    void saving_a_model_that_is_not_an_engine_model_is_refused() {
        Model other = Mockito.mock(Model.class);
        Mockito.when(other.info()).thenReturn(new ModelInfo("sample-linear", 1, 4, 4, List.of("a", "b"),
                io.purifier.api.data.Normalization.identity(1), List.of(), Map.of()));
        var e = assertThrows(ModelFormatException.class, () -> format.save(other, dir.resolve("x.onnx")));
        assertTrue(e.getMessage().contains("sample-linear"), e.getMessage());
    }
}
