package io.purifier.format.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** ONNX Runtime for Java as the reference: runs a file on a batch of images and returns its single output. */
final class Ort {

    private Ort() {
    }

    /**
     * The output of {@code model} for {@code input} (fed as the graph's only input), as a FLOAT array.
     *
     * @param model an ONNX file
     * @param input {@code [N, C, H, W]} exactly as the graph expects it (normalized if the graph is); a graph
     *              exported with a fixed batch size is run batch by batch
     */
    static INDArray run(Path model, INDArray input) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(model.toString(), options)) {
                String name = session.getInputNames().iterator().next();
                long declared = ((TensorInfo) session.getInputInfo().get(name).getInfo()).getShape()[0];
                long n = input.size(0);
                long step = declared > 0 ? declared : n;
                List<INDArray> parts = new ArrayList<>();
                for (long start = 0; start < n; start += step) {
                    INDArray part = input.get(NDArrayIndex.interval(start, Math.min(n, start + step)));
                    parts.add(runOnce(env, session, name, part));
                }
                return parts.size() == 1 ? parts.get(0) : Nd4j.concat(0, parts.toArray(INDArray[]::new));
            }
        } catch (OrtException e) {
            throw new AssertionError("ONNX Runtime cannot run " + model.getFileName() + ": " + e.getMessage(), e);
        }
    }

    private static INDArray runOnce(OrtEnvironment env, OrtSession session, String name, INDArray input)
            throws OrtException {
        float[] data = input.castTo(DataType.FLOAT).dup('c').data().asFloat();
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), input.shape());
             OrtSession.Result result = session.run(Map.of(name, tensor))) {
            OnnxTensor out = (OnnxTensor) result.get(0);
            long[] shape = out.getInfo().getShape();
            FloatBuffer values = out.getFloatBuffer();
            float[] copy = new float[values.remaining()];
            values.get(copy);
            return Nd4j.create(copy, shape, 'c');
        }
    }
}
