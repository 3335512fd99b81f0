package io.purifier.defense.ibau;

import io.purifier.api.data.Normalization;
import io.purifier.engine.TestModels;
import io.purifier.engine.model.EngineModel;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The finite-difference second derivatives against the closed forms of a linear classifier
 * {@code z_i = (x_i + delta) W + b}: with {@code S_i = diag(p_i) - p_i p_i^T},
 * {@code grad_delta CE = mean_i W (p_i - y_i)}, {@code H = mean_i W S_i W^T} and
 * {@code d/dh grad_W CE(delta + h v) = mean_i [v (p_i - y_i)^T + (x_i + delta) (S_i W^T v)^T]}.
 */
class InnerProblemTest {

    private static final double[][] W = {{0.8, -0.4}, {0.3, 0.5}};
    private static final double[] B = {0.1, -0.2};
    private static final double[][] X = {{1.0, 0.5}, {-0.5, 2.0}};
    private static final int[] Y = {1, 0};
    private static final double[] DELTA = {0.2, -0.1};
    private static final double[] V = {0.7, -1.3};
    private static final double ETA = 0.1;
    private static final double REG = 0.001;

    private static InnerProblem problem(EngineModel m) {
        PerturbationSpace space = new PerturbationSpace(Normalization.identity(1), 1, 1, 2);
        return new InnerProblem(m, space, TestModels.rows(X), Y, vector(DELTA), ETA, REG);
    }

    private static INDArray vector(double[] v) {
        return Nd4j.create(v, new long[]{1, 1, 1, v.length}, DataType.DOUBLE);
    }

    /** p_i for the rows at delta. */
    private static double[][] probabilities() {
        double[][] p = new double[2][2];
        for (int i = 0; i < 2; i++) {
            double[] x = {X[i][0] + DELTA[0], X[i][1] + DELTA[1]};
            double z0 = x[0] * W[0][0] + x[1] * W[1][0] + B[0];
            double z1 = x[0] * W[0][1] + x[1] * W[1][1] + B[1];
            p[i][0] = 1 / (1 + Math.exp(z1 - z0));
            p[i][1] = 1 - p[i][0];
        }
        return p;
    }

    /** S_i W^T v for row i. */
    private static double[] sWtV(double[] p) {
        double[] wtv = {W[0][0] * V[0] + W[1][0] * V[1], W[0][1] * V[0] + W[1][1] * V[1]};
        double[][] s = {{p[0] - p[0] * p[0], -p[0] * p[1]}, {-p[1] * p[0], p[1] - p[1] * p[1]}};
        return new double[]{s[0][0] * wtv[0] + s[0][1] * wtv[1], s[1][0] * wtv[0] + s[1][1] * wtv[1]};
    }

    @Test
    void the_delta_gradient_is_the_mean_of_w_times_the_softmax_error() {
        double[][] p = probabilities();
        double[] expected = new double[2];
        for (int i = 0; i < 2; i++) {
            double[] err = {p[i][0] - (Y[i] == 0 ? 1 : 0), p[i][1] - (Y[i] == 1 ? 1 : 0)};
            for (int f = 0; f < 2; f++) {
                expected[f] += (W[f][0] * err[0] + W[f][1] * err[1]) / 2;
            }
        }
        INDArray g = problem(TestModels.linear(W, B)).deltaGradient(vector(DELTA));
        assertEquals(expected[0], g.getDouble(0, 0, 0, 0), 1e-12);
        assertEquals(expected[1], g.getDouble(0, 0, 0, 1), 1e-12);
    }

    @Test
    void the_delta_product_is_v_minus_eta_times_the_inner_hessian_times_v() {
        double[][] p = probabilities();
        double[] hv = new double[2];
        for (int i = 0; i < 2; i++) {
            double[] s = sWtV(p[i]);
            for (int f = 0; f < 2; f++) {
                hv[f] += (W[f][0] * s[0] + W[f][1] * s[1]) / 2;
            }
        }
        INDArray jv = problem(TestModels.linear(W, B)).deltaTransposeProduct(vector(V));
        for (int f = 0; f < 2; f++) {
            double expected = V[f] - ETA * (-hv[f] + 2 * REG * V[f]);
            assertEquals(expected, jv.getDouble(0, 0, 0, f), 1e-8, "component " + f);
        }
    }

    @Test
    void the_parameter_product_is_eta_times_the_mixed_derivative() {
        double[][] p = probabilities();
        double[][] dw = new double[2][2];
        double[] db = new double[2];
        for (int i = 0; i < 2; i++) {
            double[] x = {X[i][0] + DELTA[0], X[i][1] + DELTA[1]};
            double[] err = {p[i][0] - (Y[i] == 0 ? 1 : 0), p[i][1] - (Y[i] == 1 ? 1 : 0)};
            double[] s = sWtV(p[i]);
            for (int k = 0; k < 2; k++) {
                for (int f = 0; f < 2; f++) {
                    dw[f][k] += (V[f] * err[k] + x[f] * s[k]) / 2;
                }
                db[k] += s[k] / 2;
            }
        }
        Map<String, INDArray> jt = problem(TestModels.linear(W, B)).parameterTransposeProduct(vector(V));
        for (int f = 0; f < 2; f++) {
            for (int k = 0; k < 2; k++) {
                assertEquals(ETA * dw[f][k], jt.get("fc/W").getDouble(f, k), 1e-8, "W " + f + "," + k);
            }
        }
        assertEquals(ETA * db[0], jt.get("fc/b").getDouble(0), 1e-8);
        assertEquals(ETA * db[1], jt.get("fc/b").getDouble(1), 1e-8);
    }

    @Test
    void in_float_precision_the_differences_stay_close_to_the_double_precision_ones() {
        // the same small CNN in FLOAT (as pipelines run it) and DOUBLE, the same images, perturbation and direction
        var spec = TestModels.spec(1, 8, 3);
        EngineModel f = TestModels.create("small-cnn", Map.of("width", 4, "hidden", 8), spec, 9);
        EngineModel d = TestModels.createDouble("small-cnn", Map.of("width", 4, "hidden", 8), spec, 9);
        INDArray images = TestModels.randomImages(3, 6, 1, 8, 8);
        int[] labels = {0, 1, 2, 0, 1, 2};
        PerturbationSpace space = new PerturbationSpace(spec.normalization(), 1, 8, 8);
        INDArray delta = TestModels.randomImages(4, 1, 1, 8, 8).castTo(DataType.DOUBLE).subi(0.5).muli(0.4);
        INDArray v = TestModels.randomImages(5, 1, 1, 8, 8).castTo(DataType.DOUBLE).subi(0.5);
        InnerProblem inFloat = new InnerProblem(f, space, images, labels, delta, ETA, REG);
        InnerProblem inDouble = new InnerProblem(d, space, images.castTo(DataType.DOUBLE), labels, delta, ETA, REG);
        // compare the curvature part (J^T v - v), which is what the differences compute
        INDArray hf = inFloat.deltaTransposeProduct(v).sub(v);
        INDArray hd = inDouble.deltaTransposeProduct(v).sub(v);
        double relative = hf.sub(hd).norm2Number().doubleValue() / hd.norm2Number().doubleValue();
        assertEquals(0, relative, 1e-3, "relative error of the float Hessian-vector product");
        INDArray mf = inFloat.parameterTransposeProduct(v).get("conv1/W");
        INDArray md = inDouble.parameterTransposeProduct(v).get("conv1/W");
        assertEquals(0, mf.sub(md).norm2Number().doubleValue() / md.norm2Number().doubleValue(), 1e-3);
    }

    @Test
    void a_zero_direction_needs_no_pass() {
        InnerProblem problem = problem(TestModels.linear(W, B));
        INDArray zero = vector(new double[]{0, 0});
        assertEquals(zero, problem.deltaTransposeProduct(zero));
        assertEquals(Map.of(), problem.parameterTransposeProduct(zero));
    }
}
