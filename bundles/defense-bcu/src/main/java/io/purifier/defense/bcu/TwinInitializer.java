package io.purifier.defense.bcu;

import io.purifier.api.param.ParamSpec;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.model.ParamInit;

import java.util.List;

/**
 * Where the fresh values of BCU's re-initialization come from. BCU's reference network initialises convolutions
 * with Kaiming-normal (fan-out, ReLU gain: {@code N(0, 2 / (out * kH * kW))}) and everything else with PyTorch's
 * defaults, so {@link #REFERENCE} draws convolution weights that way; {@link #ARCHITECTURE} uses whatever
 * initialiser the model's architecture declared (PyTorch's default for the zoo: {@code U(±1/sqrt(in * kH * kW))},
 * a gentler std of 0.034 instead of 0.059 on the small CNN's {@code conv2}).
 */
enum TwinInitializer {
    /** Kaiming-normal fan-out for convolution weights, the architecture's initialiser for the rest. */
    REFERENCE("reference"),
    /** The architecture's declared initialiser for every parameter. */
    ARCHITECTURE("architecture");

    /** The parameter's choices. */
    static final List<String> CHOICES = List.of(REFERENCE.id, ARCHITECTURE.id);

    private final String id;

    TwinInitializer(String id) {
        this.id = id;
    }

    /** The parameter value. */
    String id() {
        return id;
    }

    /** The descriptor entry. */
    static ParamSpec spec() {
        return ParamSpec.choice("reinitInit", REFERENCE.id, CHOICES,
                "Distribution of the fresh values: reference = BCU's network (Kaiming-normal fan-out, ReLU gain, for "
                        + "convolution weights; the architecture's own initialiser for dense layers and biases); "
                        + "architecture = the initialiser the model's architecture declared for every parameter.");
    }

    /** The value for a parameter id. */
    static TwinInitializer fromId(String id) {
        for (TwinInitializer t : values()) {
            if (t.id.equals(id)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown reinitInit '" + id + "' (choices: " + CHOICES + ")");
    }

    /** The initialiser of {@code param} of {@code model} under this choice. */
    ParamInit initializerOf(EngineModel model, String param) {
        long[] shape = model.array(param).shape();
        if (this == REFERENCE && shape.length == 4) {
            long fanOut = shape[0] * shape[2] * shape[3];
            return new ParamInit(ParamInit.Kind.NORMAL, Math.sqrt(2.0 / fanOut));
        }
        return model.initializer(param);
    }
}
