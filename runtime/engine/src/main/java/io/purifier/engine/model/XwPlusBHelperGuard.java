package io.purifier.engine.model;

import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ops.OpContext;

/**
 * Keeps ND4J's platform helpers (oneDNN) away from the {@code xw_plus_b} op in graphs that still contain it
 * (model files saved before dense layers became {@code matmul} + {@code add}).
 *
 * <p>In ND4J 1.0.0-M2.1 the oneDNN {@code xw_plus_b} computes the right values but writes them column-major into an
 * output array that SameDiff recycled from a gradient call and that Java reads row-major, so every layer after the
 * first dense layer goes wrong (measured: relative error 0.9–1.4 on the logits). Every other op the zoo uses matches
 * the generic build. The flag is set on every op because SameDiff reuses op contexts between ops.
 */
final class XwPlusBHelperGuard extends BaseListener {

    static final String OP = "xw_plus_b";

    /** True when {@code sd} has at least one {@value #OP} op. */
    static boolean needed(SameDiff sd) {
        return sd.getOps().values().stream().anyMatch(op -> OP.equals(op.getOp().opName()));
    }

    @Override
    public boolean isActive(Operation operation) {
        return true;
    }

    @Override
    public void preOpExecution(SameDiff sd, At at, SameDiffOp op, OpContext ctx) {
        if (ctx != null) {
            ctx.allowHelpers(!OP.equals(op.getOp().opName()));
        }
    }
}
