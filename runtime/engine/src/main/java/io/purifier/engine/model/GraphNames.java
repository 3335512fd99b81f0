package io.purifier.engine.model;

/** Names of the fixed variables every engine graph has. */
public final class GraphNames {

    /** Placeholder {@code [N, C, H, W]}: pixels in [0, 1], before the model's own normalization. */
    public static final String INPUT = "input";
    /** Scalar placeholder selecting the batch-norm mode: 1 = {@link BnMode#TRAIN}, 0 = {@link BnMode#EVAL}. */
    public static final String BN_MODE = "bn_mode";
    /** The input after normalization, {@code (input - mean) / std}. */
    public static final String NORMALIZED = "normalized";
    /** Output {@code [N, numClasses]}: the logits. */
    public static final String LOGITS = "logits";
    /** Placeholder {@code [N, numClasses]}: one-hot (or soft) labels for the cross-entropy loss. */
    public static final String LABELS = "labels";
    /** Scalar mean softmax cross-entropy of {@link #LOGITS} against {@link #LABELS}. */
    public static final String CE_LOSS = "loss/ce";

    private GraphNames() {
    }
}
