package io.purifier.engine.zoo;

import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ParamSpec;
import io.purifier.api.param.ResolvedParams;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.model.GraphBuilder;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Pre-activation ResNet-18 as in BackdoorBench ({@code models/preact_resnet.py}): a 3x3 stem convolution
 * without batch norm, four stages of two pre-activation blocks (BN-ReLU-conv3x3-BN-ReLU-conv3x3, with a 1x1
 * convolution on the activated input as shortcut when the shape changes), widths 64/128/256/512 times
 * {@code widthMultiplier}, strides 1/2/2/2, no final batch norm, global average pooling and a {@code linear}
 * head. Layer names follow the PyTorch module names: {@code conv1}, {@code layerS.B.bn1},
 * {@code layerS.B.shortcut}, {@code layerS.B.conv1}, {@code layerS.B.bn2}, {@code layerS.B.conv2},
 * {@code layerS.B} (block output), {@code layerS} (stage output), {@code avgpool}, {@code linear}.
 */
final class PreActResNet18 implements Architecture {

    private static final int[] BASE_WIDTHS = {64, 128, 256, 512};
    private static final int[] STRIDES = {1, 2, 2, 2};

    static final ParamDescriptor DESCRIPTOR = ParamDescriptor.of(
            ParamSpec.real("widthMultiplier", 0.125, 0.03125, 1.0,
                    "Scales the stage widths 64/128/256/512; 1 is the original (11.2 M parameters), the default 0.125 "
                            + "(176 k) trains at tens of images per second on 2 CPU cores."));

    @Override
    public String id() {
        return "preact-resnet18";
    }

    @Override
    public String name() {
        return "PreAct-ResNet-18";
    }

    @Override
    public String description() {
        return "Pre-activation ResNet-18 as in BackdoorBench: 3x3 stem, 4 stages x 2 PreAct blocks, widths "
                + "64/128/256/512 x multiplier, strides 1/2/2/2, global average pool, linear head.";
    }

    @Override
    public ParamDescriptor parameters() {
        return DESCRIPTOR;
    }

    @Override
    public EngineModel create(ResolvedParams params, InputSpec input, long seed, DataType dataType) {
        Sizes.requireAtLeast(id(), input, 8);
        double m = params.real("widthMultiplier");
        GraphBuilder b = GraphBuilder.create(id(), params.asMap(), input.channels(), input.height(), input.width(),
                input.classNames(), input.normalization(), seed, dataType);
        int in = Sizes.scaled(BASE_WIDTHS[0], m);
        String x = b.conv("conv1", b.input(), input.channels(), in, 3, 1, 1, false);
        for (int stage = 0; stage < 4; stage++) {
            int planes = Sizes.scaled(BASE_WIDTHS[stage], m);
            for (int block = 0; block < 2; block++) {
                int stride = block == 0 ? STRIDES[stage] : 1;
                x = block(b, "layer" + (stage + 1) + "." + block, x, in, planes, stride);
                in = planes;
            }
            b.tap("layer" + (stage + 1), x);
        }
        x = b.globalAvgPool("avgpool", x);
        return b.finish(b.dense("linear", x, in, input.numClasses()));
    }

    private static String block(GraphBuilder b, String name, String x, int in, int planes, int stride) {
        String out = b.reluNode(name + ".relu1", b.batchNorm(name + ".bn1", x, in));
        String shortcut = stride != 1 || in != planes
                ? b.conv(name + ".shortcut", out, in, planes, 1, stride, 0, false)
                : x;
        out = b.conv(name + ".conv1", out, in, planes, 3, stride, 1, false);
        out = b.reluNode(name + ".relu2", b.batchNorm(name + ".bn2", out, planes));
        out = b.conv(name + ".conv2", out, planes, planes, 3, 1, 1, false);
        return b.tap(name, b.add(name, out, shortcut));
    }
}
