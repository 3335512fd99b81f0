package io.purifier.format.nativemodel;

import io.purifier.api.data.Normalization;
import io.purifier.api.model.Model;
import io.purifier.api.model.ModelFormatException;
import io.purifier.api.model.ModelInfo;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.zoo.InputSpec;
import io.purifier.engine.zoo.ModelZoo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NativeModelFormatTest {

    private final NativeModelFormat format = new NativeModelFormat();

    @TempDir
    Path dir;

    private static EngineModel model() {
        var arch = ModelZoo.architecture("small-cnn");
        InputSpec spec = new InputSpec(1, 8, 8, List.of("cat", "dog"), new Normalization(new double[]{0.5}, new double[]{0.25}));
        return arch.create(arch.parameters().resolve(Map.of("width", 2, "hidden", 4)), spec, 3);
    }

    @Test
    void describes_itself_as_a_saving_format_without_parameters() {
        assertEquals("native", format.id());
        assertEquals(List.of("purifier", "zip"), format.fileExtensions());
        assertTrue(format.canSave());
        assertTrue(format.parameters().specs().isEmpty());
    }

    @Test
    void save_then_load_gives_the_same_model() {
        EngineModel m = model();
        Path file = dir.resolve("m.purifier");
        format.save(m, file);
        Model back = format.load(file, format.parameters().defaults());
        assertInstanceOf(EngineModel.class, back);
        assertEquals(m.info(), back.info());
        INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 3, 1, 8, 8);
        assertEquals(m.logits(x), back.logits(x));
    }

    @Test
    void refuses_foreign_files_with_a_format_exception() throws IOException {
        Path file = dir.resolve("model.h5");
        Files.write(file, new byte[]{(byte) 0x89, 'H', 'D', 'F', '\r', '\n'});
        var e = assertThrows(ModelFormatException.class, () -> format.load(file, format.parameters().defaults()));
        assertTrue(e.getMessage().contains("model.h5"), e.getMessage());
        assertThrows(ModelFormatException.class, () -> format.load(dir.resolve("missing.purifier"), format.parameters().defaults()));
    }

    @Test
    void refuses_to_save_a_model_of_another_implementation() {
        Model other = new Model() {
            @Override
            public ModelInfo info() {
                return new ModelInfo("keras-import", 1, 2, 2, List.of("a", "b"), Normalization.identity(1), List.of(), Map.of());
            }

            @Override
            public INDArray logits(INDArray images) {
                return Nd4j.zeros(images.size(0), 2);
            }
        };
        var e = assertThrows(ModelFormatException.class, () -> format.save(other, dir.resolve("x.purifier")));
        assertTrue(e.getMessage().contains("keras-import"), e.getMessage());
    }
}
