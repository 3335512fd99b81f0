package io.purifier.defense.ibau;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The fixed-point method on the quadratic inner loss {@code L_in = A delta² / 2 + B theta delta} with
 * {@code fp(delta) = delta - eta dL_in/d delta}: {@code J_delta^T v = (1 - eta A) v}, {@code J_theta^T v = -eta B v}.
 */
class FixedPointHypergradientTest {

    private static final double A = 2;
    private static final double B = 3;
    private static final double ETA = 0.1;

    private static final FixedPointHypergradient.FixedPointMap QUADRATIC = new FixedPointHypergradient.FixedPointMap() {
        @Override
        public INDArray deltaTransposeProduct(INDArray v) {
            return v.mul(1 - ETA * A);
        }

        @Override
        public Map<String, INDArray> parameterTransposeProduct(INDArray v) {
            return Map.of("theta", v.mul(-ETA * B));
        }
    };

    private static INDArray scalar(double v) {
        return Nd4j.create(new double[]{v}, new long[]{1}, DataType.DOUBLE);
    }

    @Test
    void three_iterations_sum_the_first_three_powers() {
        // v = 1, 1 + 0.8, 1 + 0.8 + 0.64 = 2.44; hypergradient 0.5 - 0.1 * 3 * 2.44 = -0.232
        FixedPointHypergradient.Result r = FixedPointHypergradient.compute(QUADRATIC, scalar(1),
                Map.of("theta", scalar(0.5)), 3, 1e-10);
        assertEquals(-0.232, r.gradient().get("theta").getDouble(0), 1e-12);
        assertEquals(3, r.iterations());
        assertEquals(0.64, r.residual(), 1e-12);
    }

    @Test
    void many_iterations_reach_the_implicit_function_theorem() {
        // d delta*/d theta = -B / A, so the hypergradient is 0.5 + 1 * (-3 / 2) = -1
        FixedPointHypergradient.Result r = FixedPointHypergradient.compute(QUADRATIC, scalar(1),
                Map.of("theta", scalar(0.5)), 500, 1e-10);
        assertEquals(-1.0, r.gradient().get("theta").getDouble(0), 1e-9);
        assertEquals(true, r.iterations() < 500, "stops once v no longer changes");
    }

    @Test
    void a_map_that_forgets_v_stops_after_the_second_iteration() {
        FixedPointHypergradient.FixedPointMap flat = new FixedPointHypergradient.FixedPointMap() {
            @Override
            public INDArray deltaTransposeProduct(INDArray v) {
                return v.mul(0);
            }

            @Override
            public Map<String, INDArray> parameterTransposeProduct(INDArray v) {
                return Map.of("theta", v.mul(2));
            }
        };
        FixedPointHypergradient.Result r = FixedPointHypergradient.compute(flat, scalar(1.5),
                Map.of("theta", scalar(1), "other", scalar(4)), 5, 1e-10);
        assertEquals(2, r.iterations());
        assertEquals(0, r.residual(), 0);
        assertEquals(4.0, r.gradient().get("theta").getDouble(0), 0);
        assertEquals(4.0, r.gradient().get("other").getDouble(0), 0, "parameters without a product keep the outer gradient");
    }
}
