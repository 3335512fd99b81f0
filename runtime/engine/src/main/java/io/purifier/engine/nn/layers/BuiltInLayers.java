package io.purifier.engine.nn.layers;

import io.purifier.engine.nn.LayerTypes;

/** Registers the engine's layer types with {@link LayerTypes}. */
public final class BuiltInLayers {

    private BuiltInLayers() {
    }

    /** Registers every built-in type. */
    public static void register() {
        LayerTypes.register(Input.TYPE, Input::from);
        LayerTypes.register(Normalize.TYPE, Normalize::from);
        LayerTypes.register(Conv2d.TYPE, Conv2d::from);
        LayerTypes.register(BatchNorm.TYPE, BatchNorm::from);
        LayerTypes.register(Relu.TYPE, a -> new Relu());
        LayerTypes.register(Pool2d.MAX, a -> Pool2d.from(true, a));
        LayerTypes.register(Pool2d.AVG, a -> Pool2d.from(false, a));
        LayerTypes.register(GlobalAvgPool.TYPE, a -> new GlobalAvgPool());
        LayerTypes.register(Flatten.TYPE, a -> new Flatten());
        LayerTypes.register(Dense.TYPE, Dense::from);
        LayerTypes.register(Add.TYPE, a -> new Add());
        LayerTypes.register(ChannelScale.TYPE, ChannelScale::from);
        LayerTypes.register(Identity.TYPE, a -> new Identity());
        LayerTypes.register(Activation.TYPE, Activation::from);
        LayerTypes.register(Elementwise.TYPE, Elementwise::from);
        LayerTypes.register(Constant.TYPE, Constant::from);
        LayerTypes.register(Concat.TYPE, Concat::from);
        LayerTypes.register(Pad2d.TYPE, Pad2d::from);
        LayerTypes.register(Reshape.TYPE, Reshape::from);
    }
}
