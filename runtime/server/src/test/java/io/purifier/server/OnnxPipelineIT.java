package io.purifier.server;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.purifier.client.ApiClient;
import io.purifier.api.data.ImageSet;
import io.purifier.data.IdxReader;
import io.purifier.data.SubsetRequest;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.model.NativeModelFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bring your own model, end to end on the real server (real Felix with the built-in bundles, HTTP, H2): a PyTorch
 * PreAct-ResNet-18 with a planted BadNets backdoor, exported by {@code torch.onnx.export} (format-onnx's fixture), is
 * uploaded as ONNX with Fashion-MNIST's normalization, purified by NPD at its PyTorch layer {@code layer4.1.conv1},
 * and downloaded as ONNX; ONNX Runtime, on the pipeline's own test images, gives the purified model's recorded
 * C-ACC and ASR, and the native artifact's logits.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OnnxPipelineIT {

    private static final Path FIXTURE = Path.of("../../bundles/format-onnx/src/test/resources/onnx/preact_resnet18.onnx");
    private static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");
    private static final double MEAN = 0.2860;
    private static final double STD = 0.3530;
    private static final int TEST_SIZE = 100;

    @TempDir
    static Path dir;
    PurifierServer server;
    ApiClient api;
    String token;
    final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    void start() throws Exception {
        Path home = TestHome.create(dir, false, true);
        server = PurifierServer.start(TestHome.config(home, Map.of()), true, EngineModelTrainer.create());
        token = TestHome.adminToken(home);
        api = new ApiClient(server.port(), token);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void an_uploaded_pytorch_model_is_purified_and_downloaded_as_onnx_with_its_metrics() throws Exception {
        String params = URLEncoder.encode("{\"mean\": [" + MEAN + "], \"std\": [" + STD + "]}", StandardCharsets.UTF_8);
        ApiClient.Response upload = api.postFile("/api/models?format=onnx&name=preact-badnets&params=" + params, FIXTURE);
        assertEquals(201, upload.status(), upload.raw());
        JsonNode info = upload.body().path("info");
        assertEquals("onnx-import", info.path("architecture").asText());
        assertTrue(info.path("layers").toString().contains("\"layer4.1.conv1\""), info.toString());

        ObjectNode p = json.createObjectNode().put("seed", 5);
        p.putObject("dataset").put("id", "fashion-mnist").putObject("params").put("trainSize", 300).put("testSize", TEST_SIZE);
        p.putObject("model").put("source", "stored").put("modelId", upload.body().path("id").asText());
        p.putObject("attack").put("id", "badnets");
        ObjectNode npd = p.putArray("defenses").addObject().put("id", "npd");
        npd.set("params", json.valueToTree(Map.of("layer", "layer4.1.conv1", "epochs", 1, "warmupEpochs", 1, "batchSize", 16)));
        npd.putObject("data").put("fraction", 0.2);
        npd.set("outputFormats", json.valueToTree(List.of("native", "onnx")));
        p.putArray("metrics").addObject().put("id", "c-acc");
        p.withArray("metrics").addObject().put("id", "asr");
        JsonNode run = TestHome.runToSuccess(api, p, 600_000);
        long runId = run.path("run").path("id").asLong();
        System.out.println("ONNX round trip, run " + runId + ": model step C-ACC " + metric(run, 2, "C-ACC") + ", ASR "
                + metric(run, 2, "ASR") + "; after NPD C-ACC " + metric(run, 3, "C-ACC") + ", ASR " + metric(run, 3, "ASR"));
        assertTrue(metric(run, 2, "ASR") > 0.9, "the uploaded model carries its backdoor: " + run.get("metrics"));

        Path onnx = download(runId, 3, "purified-model.onnx");
        Path nativeFile = download(runId, 3, "purified-model.purifier");
        ImageSet test = SubsetRequest.from(fashionParams()).test(IdxReader.read(FASHION.resolve("t10k-images-idx3-ubyte.gz"),
                FASHION.resolve("t10k-labels-idx1-ubyte.gz"), IdxReader.numberedClassNames(10)));
        INDArray triggered = triggered(test);
        INDArray clean = test.images();
        INDArray purifiedLogits = ort(onnx, normalized(clean));
        assertEquals(metric(run, 3, "C-ACC"), accuracy(purifiedLogits, test.labels()), 0.0101,
                "ONNX Runtime gives the purified model's clean accuracy");
        assertEquals(metric(run, 3, "ASR"), toTarget(ort(onnx, normalized(triggered))), 0.0101,
                "ONNX Runtime gives the purified model's attack success rate");

        EngineModel purified = NativeModelFile.load(nativeFile);
        assertEquals(0.0, purified.logits(clean).sub(purifiedLogits).amaxNumber().doubleValue(), 1e-4,
                "the ONNX download computes what the engine's purified model computes");
        assertTrue(purified.layerNames().contains("npd.conv"), "the polarizer is in the purified model");
        assertTrue(ort(FIXTURE, normalized(clean)).sub(purifiedLogits).amaxNumber().doubleValue() > 1e-3,
                "the defense changed the model");
    }

    private io.purifier.api.param.ResolvedParams fashionParams() {
        return io.purifier.api.param.ParamDescriptor.of(SubsetRequest.specs(60_000, 10_000))
                .resolve(Map.of("trainSize", 300, "testSize", TEST_SIZE));
    }

    private static double metric(JsonNode run, int step, String name) {
        for (JsonNode m : run.get("metrics")) {
            if (m.path("stepIndex").asInt() == step && m.path("name").asText().equals(name)) {
                return m.path("value").asDouble();
            }
        }
        throw new AssertionError("no metric " + name + " at step " + step + " in " + run.get("metrics"));
    }

    private Path download(long runId, int step, String name) throws Exception {
        HttpResponse<Path> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + server.port() + "/api/runs/" + runId + "/artifacts/" + step + "/" + name))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofFile(dir.resolve(name)));
        assertEquals(200, res.statusCode(), name);
        return res.body();
    }

    /** The images of {@code test} outside the target class 0, with BadNets' default 3x3 white bottom-right patch. */
    private static INDArray triggered(ImageSet test) {
        List<INDArray> out = new ArrayList<>();
        for (int i = 0; i < test.size(); i++) {
            if (test.label(i) != 0) {
                INDArray image = test.images().get(NDArrayIndex.interval(i, i + 1)).dup('c');
                image.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(25, 28),
                        NDArrayIndex.interval(25, 28)).assign(1.0);
                out.add(image);
            }
        }
        return Nd4j.concat(0, out.toArray(INDArray[]::new));
    }

    private static INDArray normalized(INDArray pixels) {
        return pixels.castTo(DataType.FLOAT).sub(MEAN).div(STD);
    }

    private static INDArray ort(Path model, INDArray input) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(model.toString(), new OrtSession.SessionOptions());
             OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(input.dup('c').data().asFloat()), input.shape());
             OrtSession.Result r = session.run(Map.of(session.getInputNames().iterator().next(), x))) {
            float[][] logits = (float[][]) r.get(0).getValue();
            return Nd4j.create(logits);
        }
    }

    private static double accuracy(INDArray logits, int[] labels) {
        int hits = 0;
        for (int i = 0; i < labels.length; i++) {
            hits += logits.getRow(i).argMax().getInt(0) == labels[i] ? 1 : 0;
        }
        return (double) hits / labels.length;
    }

    private static double toTarget(INDArray logits) {
        int hits = 0;
        for (int i = 0; i < logits.rows(); i++) {
            hits += logits.getRow(i).argMax().getInt(0) == 0 ? 1 : 0;
        }
        return (double) hits / logits.rows();
    }
}
