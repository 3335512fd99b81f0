package io.purifier.defense.bcu;

import io.purifier.engine.blocks.Distillation;
import io.purifier.engine.model.BnMode;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.nn.GradientRequest;
import io.purifier.engine.train.LossPass;
import io.purifier.testkit.TinyModels;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The loss BCU trains with (temperature as a placeholder, no T² factor): its value against
 * {@code (1/B) sum_i sum_c P_ic (log P_ic - log Q_ic)} and its gradient against {@code (Q - P)/(T B)} with
 * respect to the student logits, both computed by hand here.
 */
class KlLossTest {

    private static final int B = 5;
    private static final int K = 3;

    @Test
    void loss_equals_the_batch_mean_kl_divergence_without_t_squared_at_every_fed_temperature() {
        Fixture f = new Fixture(1.0);
        for (double t : new double[]{1.0, 1.75, 4.0}) {
            double value = f.loss(t);
            double[][] p = softmax(f.teacherLogits, t);
            double[][] q = softmax(f.studentLogits(), t);
            double expected = 0;
            for (int i = 0; i < B; i++) {
                for (int c = 0; c < K; c++) {
                    expected += p[i][c] * (Math.log(p[i][c]) - Math.log(q[i][c]));
                }
            }
            expected /= B;
            assertEquals(expected, value, 1e-12, "T = " + t);
            assertEquals(Distillation.klDivergence(f.teacherLogits, f.studentLogits(), t, false), value, 1e-12, "engine reference");
        }
    }

    @Test
    void gradient_with_respect_to_the_student_logits_is_q_minus_p_over_t_b() {
        double t = 2.5;
        Fixture f = new Fixture(t);
        double[][] p = softmax(f.teacherLogits, t);
        double[][] q = softmax(f.studentLogits(), t);
        double[][] dz = new double[B][K];
        for (int i = 0; i < B; i++) {
            for (int c = 0; c < K; c++) {
                dz[i][c] = (q[i][c] - p[i][c]) / (t * B);
            }
        }
        // logits = h . W + b for the classifier fc2, so dL/db = sum_i dz_i and dL/dW = h^T dz.
        INDArray h = f.student.activations(f.x, BnMode.EVAL, "relu3").get("relu3");
        Map<String, INDArray> g = f.gradients("fc2/W", "fc2/b");
        for (int c = 0; c < K; c++) {
            double db = 0;
            for (int i = 0; i < B; i++) {
                db += dz[i][c];
            }
            assertEquals(db, g.get("fc2/b").getDouble(c), 1e-12, "dL/db[" + c + "]");
        }
        for (int j = 0; j < h.size(1); j++) {
            for (int c = 0; c < K; c++) {
                double dw = 0;
                for (int i = 0; i < B; i++) {
                    dw += h.getDouble(i, j) * dz[i][c];
                }
                assertEquals(dw, g.get("fc2/W").getDouble(j, c), 1e-12, "dL/dW[" + j + "," + c + "]");
            }
        }
    }

    /** A double-precision small CNN student, random images and random teacher logits. */
    private static final class Fixture {
        final EngineModel student = TinyModels.createDouble("small-cnn", Map.of("width", 2, "hidden", 6),
                TinyModels.spec(1, 8, K), 11);
        final INDArray x;
        final INDArray teacherLogits;
        final double temperature;

        Fixture(double temperature) {
            Random rng = new Random(19);
            double[] pixels = new double[B * 64];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = rng.nextDouble();
            }
            x = Nd4j.create(pixels, new long[]{B, 1, 8, 8}, DataType.DOUBLE);
            double[] z = new double[B * K];
            for (int i = 0; i < z.length; i++) {
                z[i] = 6 * rng.nextDouble() - 3;
            }
            teacherLogits = Nd4j.create(z, new long[]{B, K}, DataType.DOUBLE);
            this.temperature = temperature;
        }

        INDArray studentLogits() {
            return student.logits(x);
        }

        double loss(double t) {
            try (LossPass p = LossPass.run(student, x, BnMode.EVAL, GradientRequest.NONE,
                    TemperedKlLoss.objective(teacherLogits, t), false)) {
                return p.loss();
            }
        }

        Map<String, INDArray> gradients(String... params) {
            Map<String, INDArray> out = new java.util.HashMap<>();
            try (LossPass p = LossPass.run(student, x, BnMode.EVAL, GradientRequest.parameters(List.of(params)),
                    TemperedKlLoss.objective(teacherLogits, temperature), false)) {
                p.parameterGradients().forEach((k, v) -> out.put(k, v.dup()));
            }
            return out;
        }
    }

    private static double[][] softmax(INDArray logits, double t) {
        double[][] out = new double[B][K];
        for (int i = 0; i < B; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < K; c++) {
                max = Math.max(max, logits.getDouble(i, c) / t);
            }
            double sum = 0;
            for (int c = 0; c < K; c++) {
                out[i][c] = Math.exp(logits.getDouble(i, c) / t - max);
                sum += out[i][c];
            }
            for (int c = 0; c < K; c++) {
                out[i][c] /= sum;
            }
        }
        return out;
    }
}
