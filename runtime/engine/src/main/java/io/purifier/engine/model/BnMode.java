package io.purifier.engine.model;

/**
 * How batch-norm layers normalize in a pass: with the statistics of the current batch (training; running
 * statistics are updated as in PyTorch's {@code train()} mode), or with their running statistics as a fixed affine
 * map (inference; PyTorch's {@code eval()}).
 */
public enum BnMode {
    /** Batch statistics; running statistics updated (unless the pass says otherwise or the layer is pinned). */
    TRAIN,
    /** Running statistics; gamma and beta stay differentiable, the input gradient is exact. */
    EVAL
}
