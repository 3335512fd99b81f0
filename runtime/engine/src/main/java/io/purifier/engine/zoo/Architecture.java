package io.purifier.engine.zoo;

import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ResolvedParams;
import io.purifier.engine.model.EngineModel;
import org.nd4j.linalg.api.buffer.DataType;

/** A model architecture of the zoo: a stable id, its parameters, and a seeded constructor. */
public interface Architecture {

    /** Stable kebab-case id (for example {@code preact-resnet18}). */
    String id();

    /** Human-readable name. */
    String name();

    /** One or two sentences: the layer structure and where it comes from. */
    String description();

    /** The architecture's parameters (width multipliers and the like). */
    ParamDescriptor parameters();

    /**
     * Creates a freshly initialised model (PyTorch default initialisers, seeded).
     *
     * @param params resolved against {@link #parameters()}
     * @param input  input shape, classes and normalization
     * @param seed   initialisation seed; the same seed gives bit-identical parameters
     * @throws io.purifier.api.InvalidInputException when the input is too small for the architecture
     */
    default EngineModel create(ResolvedParams params, InputSpec input, long seed) {
        return create(params, input, seed, DataType.FLOAT);
    }

    /**
     * {@link #create(ResolvedParams, InputSpec, long)} with parameters of type {@code dataType} (DOUBLE is
     * meant for finite-difference gradient checks).
     */
    EngineModel create(ResolvedParams params, InputSpec input, long seed, DataType dataType);

    /** {@link #create(ResolvedParams, InputSpec, long)} with default parameters. */
    default EngineModel create(InputSpec input, long seed) {
        return create(parameters().defaults(), input, seed);
    }
}
