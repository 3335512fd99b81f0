package io.purifier.defense.ibau;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The hypergradient of a bilevel problem by K steps of the fixed-point method (Grazzi et al., "On the iteration
 * complexity of hypergradient computation", ICML 2020; I-BAU's {@code fixed_point}): with the inner solution
 * {@code delta} a fixed point of {@code fp(delta, theta)} and the outer loss {@code L(delta, theta)},
 * <pre>
 *   v_0 = 0,  v_{k+1} = J_delta(fp)^T v_k + dL/d delta        (stop early when ||v_{k+1} - v_k|| < tol)
 *   hypergradient = dL/d theta + J_theta(fp)^T v_K
 * </pre>
 */
final class FixedPointHypergradient {

    private FixedPointHypergradient() {
    }

    /** The transposed Jacobians of the fixed-point map at the current point. */
    interface FixedPointMap {

        /** {@code J_delta(fp)^T v}. */
        INDArray deltaTransposeProduct(INDArray v);

        /** {@code J_theta(fp)^T v}, by parameter name. */
        Map<String, INDArray> parameterTransposeProduct(INDArray v);
    }

    /**
     * The outcome.
     *
     * @param gradient   the hypergradient by parameter name
     * @param iterations fixed-point iterations done
     * @param residual   {@code ||v_K - v_{K-1}||} of the last iteration
     */
    record Result(Map<String, INDArray> gradient, int iterations, double residual) {
    }

    /**
     * Runs the method.
     *
     * @param map             the fixed-point map's transposed Jacobians
     * @param outerDelta      {@code dL/d delta}
     * @param outerParameters {@code dL/d theta} by parameter name
     * @param maxIterations   K
     * @param tolerance       early stop on the change of v
     */
    static Result compute(FixedPointMap map, INDArray outerDelta, Map<String, INDArray> outerParameters,
                          int maxIterations, double tolerance) {
        INDArray v = outerDelta.mul(0);
        int iterations = 0;
        double residual = 0;
        for (int k = 0; k < maxIterations; k++) {
            // J^T 0 = 0: the first iteration needs no product
            INDArray next = (k == 0 ? v.dup() : map.deltaTransposeProduct(v)).addi(outerDelta);
            residual = next.sub(v).norm2Number().doubleValue();
            v = next;
            iterations++;
            if (residual < tolerance) {
                break;
            }
        }
        Map<String, INDArray> gradient = new LinkedHashMap<>();
        outerParameters.forEach((name, g) -> gradient.put(name, g.dup()));
        if (iterations > 0) {
            map.parameterTransposeProduct(v).forEach((name, g) -> gradient.merge(name, g, INDArray::add));
        }
        return new Result(gradient, iterations, residual);
    }
}
