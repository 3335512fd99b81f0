package io.purifier.engine.model;

/**
 * How batch-norm layers normalize: with the statistics of the current batch (training), or with their running
 * statistics as a fixed affine map (inference). Selected per call through the {@link GraphNames#BN_MODE}
 * placeholder; the graph is the same in both modes.
 */
public enum BnMode {
    /** Batch statistics; the trainer then updates the running statistics. */
    TRAIN,
    /** Running statistics; gamma and beta stay differentiable, the input gradient is exact. */
    EVAL;

    /** The value fed to the {@link GraphNames#BN_MODE} placeholder. */
    public double placeholderValue() {
        return this == TRAIN ? 1.0 : 0.0;
    }
}
