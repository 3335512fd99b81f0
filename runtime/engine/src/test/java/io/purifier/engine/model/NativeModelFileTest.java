package io.purifier.engine.model;

import io.purifier.api.model.ModelFormatException;
import io.purifier.engine.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.net.URISyntaxException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Save/load round trips and refusal of foreign or damaged files. */
class NativeModelFileTest {

    @TempDir
    Path dir;

    private static EngineModel model() {
        EngineModel m = TestModels.create("preact-resnet18", Map.of("widthMultiplier", 0.0625), TestModels.spec(3, 8, 3), 5);
        TestModels.randomizeBatchNorm(m, 9);
        m.freeze(List.of("conv1/W"));
        m.setProperty("defenses", "fine-pruning");
        return m;
    }

    @Test
    void round_trip_is_bit_exact_with_metadata() {
        EngineModel m = model();
        Path file = dir.resolve("m.purifier");
        NativeModelFile.save(m, file);
        EngineModel back = NativeModelFile.load(file);
        assertEquals(m.info(), back.info());
        assertEquals(m.architectureId(), back.architectureId());
        assertEquals(m.recipe(), back.recipe());
        assertEquals(m.seed(), back.seed());
        assertEquals(m.parameterNames(), back.parameterNames());
        assertEquals(m.frozenParameters(), back.frozenParameters());
        assertEquals(m.batchNormLayers(), back.batchNormLayers());
        assertEquals(m.layerNames(), back.layerNames());
        assertEquals(m.layerNode("layer4.1.conv1"), back.layerNode("layer4.1.conv1"));
        for (String p : m.parameterNames()) {
            assertEquals(m.array(p), back.array(p), p);
            assertEquals(m.initializer(p), back.initializer(p), p);
        }
        for (BatchNormLayer bn : m.batchNormLayers()) {
            assertEquals(m.array(bn.runningMean()), back.array(bn.runningMean()));
            assertEquals(m.array(bn.runningVar()), back.array(bn.runningVar()));
        }
        INDArray x = TestModels.randomImages(1, 5, 3, 8, 8);
        assertEquals(m.logits(x), back.logits(x));
    }

    @Test
    void copy_is_deep_and_equal() {
        EngineModel m = model();
        EngineModel c = m.copy();
        INDArray x = TestModels.randomImages(2, 4, 3, 8, 8);
        assertEquals(m.logits(x), c.logits(x));
        assertNotSame(m.array("linear/W"), c.array("linear/W"));
        c.array("linear/W").addi(1.0);
        assertTrue(!m.logits(x).equals(c.logits(x)));
    }

    @Test
    void a_loaded_model_trains_exactly_like_the_original() {
        EngineModel original = TestModels.create("small-cnn", Map.of("width", 3, "hidden", 8, "batchNorm", true),
                TestModels.spec(1, 12, 3), 8);
        Path file = dir.resolve("before-training.purifier");
        NativeModelFile.save(original, file);
        EngineModel loaded = NativeModelFile.load(file);
        var data = TestModels.quadrants(3, 64, 12, 3);
        var cfg = new io.purifier.engine.train.TrainingConfig("sgd", 0.05, 0.9, 5e-4, "constant", 1, 32);
        io.purifier.engine.train.Trainer.train(original, data, io.purifier.api.data.Augmentation.none(), null, cfg,
                io.purifier.engine.run.LocalRunContext.quiet(1));
        io.purifier.engine.train.Trainer.train(loaded, data, io.purifier.api.data.Augmentation.none(), null, cfg,
                io.purifier.engine.run.LocalRunContext.quiet(1));
        for (String p : original.parameterNames()) {
            assertEquals(original.array(p), loaded.array(p), p);
        }
        assertEquals(original.array("bn2/var"), loaded.array("bn2/var"));
    }

    @Test
    void refuses_a_file_that_is_not_a_zip() throws IOException {
        Path file = dir.resolve("junk.purifier");
        Files.writeString(file, "hello, I am not a model");
        var e = assertThrows(ModelFormatException.class, () -> NativeModelFile.load(file));
        assertTrue(e.getMessage().contains("not a Purifier model file"), e.getMessage());
    }

    @Test
    void refuses_a_zip_without_metadata() throws IOException {
        Path file = dir.resolve("other.zip");
        writeZip(file, Map.of("readme.txt", "hi"));
        var e = assertThrows(ModelFormatException.class, () -> NativeModelFile.load(file));
        assertTrue(e.getMessage().contains("missing " + NativeModelFile.METADATA_ENTRY), e.getMessage());
    }

    @Test
    void refuses_a_newer_version() throws IOException {
        Path file = dir.resolve("future.zip");
        writeZip(file, Map.of(NativeModelFile.METADATA_ENTRY, "{\"format\":\"purifier-native\",\"version\":99}",
                NativeModelFile.ARRAYS_ENTRY, "x"));
        var e = assertThrows(ModelFormatException.class, () -> NativeModelFile.load(file));
        assertTrue(e.getMessage().contains("version 99"), e.getMessage());
    }

    @Test
    void refuses_an_arrays_entry_shorter_than_its_metadata() throws IOException {
        Path good = dir.resolve("good.zip");
        NativeModelFile.save(model(), good);
        Path file = dir.resolve("bad.zip");
        String meta;
        try (var zf = new java.util.zip.ZipFile(good.toFile())) {
            meta = new String(zf.getInputStream(zf.getEntry(NativeModelFile.METADATA_ENTRY)).readAllBytes(), StandardCharsets.UTF_8);
        }
        writeZip(file, Map.of(NativeModelFile.METADATA_ENTRY, meta, NativeModelFile.ARRAYS_ENTRY, "garbage bytes here"));
        var e = assertThrows(ModelFormatException.class, () -> NativeModelFile.load(file));
        assertTrue(e.getMessage().contains(NativeModelFile.ARRAYS_ENTRY), e.getMessage());
    }

    @Test
    void converts_a_version_1_samediff_file_with_its_channel_mask() throws IOException, URISyntaxException {
        Path v1 = Path.of(getClass().getResource("/reference/small-cnn-v1.purifier").toURI());
        EngineModel m = NativeModelFile.load(v1);
        assertEquals("small-cnn", m.architectureId());
        assertEquals(java.util.Set.of("conv1/W"), m.frozenParameters());
        assertEquals("v1-fixture", m.info().properties().get("source"));
        assertEquals(0.1, m.array("bn1/mean").getDouble(0), 1e-7);
        boolean[] keep = io.purifier.engine.blocks.ChannelMask.keep(m, "conv2");
        assertEquals(false, keep[1]);
        assertEquals(false, keep[4]);
        java.util.Random r = new java.util.Random(9);
        float[] px = new float[4 * 144];
        for (int i = 0; i < px.length; i++) {
            px[i] = r.nextFloat();
        }
        INDArray x = Nd4j.create(px, new long[]{4, 1, 12, 12}, 'c');
        double[] got = m.logits(x).castTo(DataType.DOUBLE).dup('c').data().asDouble();
        java.util.List<String> expected = Files.readAllLines(
                Path.of(getClass().getResource("/reference/small-cnn-v1.logits.txt").toURI()));
        assertEquals(expected.size(), got.length);
        for (int i = 0; i < got.length; i++) {
            assertEquals(Double.parseDouble(expected.get(i)), got[i], 1e-4, "logit " + i);
        }
    }

    @Test
    void refuses_a_truncated_file() throws IOException {
        Path good = dir.resolve("good.zip");
        NativeModelFile.save(model(), good);
        byte[] bytes = Files.readAllBytes(good);
        Path file = dir.resolve("truncated.zip");
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThrows(ModelFormatException.class, () -> NativeModelFile.load(file));
    }

    @Test
    void refuses_a_zip_bomb_without_inflating_it() throws IOException {
        Path file = dir.resolve("bomb.purifier");
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry(NativeModelFile.ARRAYS_ENTRY));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                zip.write(zeros);
            }
            zip.closeEntry();
        }
        var e = assertThrows(ModelFormatException.class, () -> NativeModelFile.load(file));
        assertTrue(e.getMessage().contains("compression ratio above"), e.getMessage());
    }

    private static void writeZip(Path file, Map<String, String> entries) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (var e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
    }
}
