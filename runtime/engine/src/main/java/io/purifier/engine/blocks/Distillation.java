package io.purifier.engine.blocks;

import io.purifier.engine.model.EngineModel;
import io.purifier.engine.model.GraphNames;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Locale;
import java.util.Map;

/**
 * Knowledge-distillation loss as SameDiff ops on a student model (Hinton et al., 2015):
 * {@code KL(p_T || q_T) = sum_k p_T,k (log p_T,k - log q_T,k)} averaged over the batch, where
 * {@code p_T = softmax(teacher / T)} and {@code q_T = softmax(student / T)}; optionally multiplied by
 * {@code T^2} so gradients keep their scale across temperatures. Log-softmax is written out as
 * {@code z - max - log(sum(exp(z - max)))}.
 */
public final class Distillation {

    /** Placeholder {@code [N, K]}: the teacher's logits. */
    public static final String TEACHER_LOGITS = "kd/teacher_logits";

    private Distillation() {
    }

    /**
     * Adds the loss to {@code student}'s graph (once per temperature and scaling) and returns its name.
     *
     * @param student         the model being trained
     * @param temperature     T &gt; 0
     * @param scaleBySquaredT whether to multiply by T²
     * @return the loss variable; feed it with {@link #feeds(INDArray)}
     */
    public static String addLoss(EngineModel student, double temperature, boolean scaleBySquaredT) {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
        }
        String name = String.format(Locale.ROOT, "loss/kd_T%s%s", Double.toString(temperature), scaleBySquaredT ? "_t2" : "");
        synchronized (student) {
            if (student.hasVariable(name)) {
                return name;
            }
            SameDiff sd = student.graph();
            SDVariable teacher = sd.hasVariable(TEACHER_LOGITS) ? sd.getVariable(TEACHER_LOGITS)
                    : sd.placeHolder(TEACHER_LOGITS, student.dataType(), -1, student.numClasses());
            SDVariable logP = logSoftmax(sd, teacher.div(temperature));
            SDVariable logQ = logSoftmax(sd, sd.getVariable(GraphNames.LOGITS).div(temperature));
            SDVariable p = sd.math().exp(logP);
            SDVariable perSample = p.mul(logP.sub(logQ)).sum(1);
            double scale = scaleBySquaredT ? temperature * temperature : 1.0;
            perSample.mean().mul(name, scale);
            return name;
        }
    }

    /** The placeholder values for a batch: the teacher's logits. */
    public static Map<String, INDArray> feeds(INDArray teacherLogits) {
        return Map.of(TEACHER_LOGITS, teacherLogits);
    }

    /** Plain-Java reference of the loss (for tests and reporting). */
    public static double klDivergence(INDArray teacherLogits, INDArray studentLogits, double temperature, boolean scaleBySquaredT) {
        int n = (int) teacherLogits.size(0);
        int k = (int) teacherLogits.size(1);
        double total = 0;
        for (int i = 0; i < n; i++) {
            double[] lp = logSoftmaxRow(teacherLogits, i, k, temperature);
            double[] lq = logSoftmaxRow(studentLogits, i, k, temperature);
            for (int j = 0; j < k; j++) {
                total += Math.exp(lp[j]) * (lp[j] - lq[j]);
            }
        }
        return total / n * (scaleBySquaredT ? temperature * temperature : 1.0);
    }

    private static double[] logSoftmaxRow(INDArray z, int row, int k, double t) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            max = Math.max(max, z.getDouble(row, j) / t);
        }
        double sum = 0;
        for (int j = 0; j < k; j++) {
            sum += Math.exp(z.getDouble(row, j) / t - max);
        }
        double[] out = new double[k];
        for (int j = 0; j < k; j++) {
            out[j] = z.getDouble(row, j) / t - max - Math.log(sum);
        }
        return out;
    }

    private static SDVariable logSoftmax(SameDiff sd, SDVariable z) {
        SDVariable shifted = z.sub(z.max(true, 1));
        return shifted.sub(sd.math().log(sd.math().exp(shifted).sum(true, 1)));
    }
}
