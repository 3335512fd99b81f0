package io.purifier.server.run;

import io.purifier.api.PluginKind;
import io.purifier.api.model.ModelFormat;
import io.purifier.api.model.ModelFormatException;
import io.purifier.server.osgi.ComponentInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;

class ModelWriterTest {

    @TempDir
    Path dir;
    final RunFixtures.RecordingRecorder recorder = new RunFixtures.RecordingRecorder();

    private static ComponentInfo info(String id, String ext, boolean canSave) {
        return new ComponentInfo(id, "model-format", id, id, List.of(), null, List.of(ext), canSave, RunFixtures.bundle(id));
    }

    private static ModelFormat writing() throws Exception {
        ModelFormat format = mock(ModelFormat.class);
        doAnswer(inv -> Files.writeString(inv.getArgument(1), "weights")).when(format).save(any(), any());
        return format;
    }

    private StepContext ctx() {
        return new StepContext(3, 42, dir.resolve("step-3-defense"), recorder, null, null, f -> { });
    }

    @Test
    void the_native_format_is_preferred() throws Exception {
        RunFixtures.FakePlugins plugins = new RunFixtures.FakePlugins()
                .info(PluginKind.MODEL_FORMAT, info("keras", "h5", true)).add(PluginKind.MODEL_FORMAT, "keras", writing())
                .info(PluginKind.MODEL_FORMAT, info("native", "pmodel", true)).add(PluginKind.MODEL_FORMAT, "native", writing());
        new ModelWriter(plugins).save(new RunFixtures.PixelModel(0), ctx(), List.of());
        assertTrue(Files.exists(dir.resolve("step-3-defense/purified-model.pmodel")));
        assertFalse(Files.exists(dir.resolve("step-3-defense/purified-model.h5")));
    }

    @Test
    void a_format_that_fails_leaves_no_partial_file_and_the_next_one_is_tried() throws Exception {
        ModelFormat broken = mock(ModelFormat.class);
        doAnswer(inv -> {
            Files.writeString(inv.getArgument(1), "half");
            throw new ModelFormatException("cannot express this layer");
        }).when(broken).save(any(), any());
        RunFixtures.FakePlugins plugins = new RunFixtures.FakePlugins()
                .info(PluginKind.MODEL_FORMAT, info("native", "pmodel", true)).add(PluginKind.MODEL_FORMAT, "native", broken)
                .info(PluginKind.MODEL_FORMAT, info("keras", "h5", true)).add(PluginKind.MODEL_FORMAT, "keras", writing());
        new ModelWriter(plugins).save(new RunFixtures.PixelModel(0), ctx(), List.of());
        assertFalse(Files.exists(dir.resolve("step-3-defense/purified-model.pmodel")));
        assertTrue(Files.exists(dir.resolve("step-3-defense/purified-model.h5")));
        assertTrue(recorder.logs.contains("INFO format native cannot save this model: cannot express this layer"), recorder.logs.toString());
    }

    @Test
    void without_a_saving_format_the_log_says_the_model_is_not_downloadable() throws Exception {
        ModelFormat readOnly = mock(ModelFormat.class);
        doThrow(new ModelFormatException("no")).when(readOnly).save(any(), any());
        RunFixtures.FakePlugins plugins = new RunFixtures.FakePlugins()
                .info(PluginKind.MODEL_FORMAT, info("onnx", "onnx", false)).add(PluginKind.MODEL_FORMAT, "onnx", readOnly);
        new ModelWriter(plugins).save(new RunFixtures.PixelModel(0), ctx(), List.of());
        assertTrue(recorder.logs.contains("WARN no installed model format could save the purified model; it is not downloadable"));
    }

    @Test
    void each_requested_format_is_written_and_a_failing_one_is_named() throws Exception {
        ModelFormat broken = mock(ModelFormat.class);
        doThrow(new ModelFormatException("no grouped convolutions")).when(broken).save(any(), any());
        RunFixtures.FakePlugins plugins = new RunFixtures.FakePlugins()
                .info(PluginKind.MODEL_FORMAT, info("native", "pmodel", true)).add(PluginKind.MODEL_FORMAT, "native", writing())
                .info(PluginKind.MODEL_FORMAT, info("onnx", "onnx", true)).add(PluginKind.MODEL_FORMAT, "onnx", writing())
                .info(PluginKind.MODEL_FORMAT, info("keras", "h5", true)).add(PluginKind.MODEL_FORMAT, "keras", broken);
        new ModelWriter(plugins).save(new RunFixtures.PixelModel(0), ctx(), List.of("onnx", "keras"));
        assertTrue(Files.exists(dir.resolve("step-3-defense/purified-model.onnx")));
        assertFalse(Files.exists(dir.resolve("step-3-defense/purified-model.pmodel")), "only the requested formats");
        assertFalse(Files.exists(dir.resolve("step-3-defense/purified-model.h5")));
        assertTrue(recorder.logs.contains("WARN the purified model could not be saved in format keras"), recorder.logs.toString());
    }
}
