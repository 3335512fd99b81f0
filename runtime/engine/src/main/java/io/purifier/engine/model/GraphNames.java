package io.purifier.engine.model;

/** Names of the fixed nodes every engine model has. */
public final class GraphNames {

    /** The input node: pixels {@code [N, C, H, W]} in [0, 1], before the model's own normalization. */
    public static final String INPUT = "input";
    /** The normalization node {@code (input - mean) / std}; its arrays are {@code norm/mean} and {@code norm/inv_std}. */
    public static final String NORMALIZE = "norm";
    /** Seed key of the logits for a backward pass (see {@link io.purifier.engine.nn.ForwardPass#LOGITS}). */
    public static final String LOGITS = io.purifier.engine.nn.ForwardPass.LOGITS;

    private GraphNames() {
    }
}
