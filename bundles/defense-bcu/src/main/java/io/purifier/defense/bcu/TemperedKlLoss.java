package io.purifier.defense.bcu;

import io.purifier.engine.blocks.Distillation;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.model.GraphNames;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

/**
 * BCU's distillation loss with the temperature as a scalar placeholder, so one graph (and one gradient function)
 * serves every epoch of the rising schedule: {@code (1/B) sum_i sum_c P_ic (log P_ic - log Q_ic)} with
 * {@code P = softmax(teacher/T)}, {@code Q = softmax(student/T)}, no T² factor. The same formula as the engine's
 * {@link Distillation} loss without scaling, which fixes T when the loss is built; the teacher logits use its
 * placeholder {@link Distillation#TEACHER_LOGITS}. The gradient with respect to the student logits is
 * {@code (Q - P)/(T B)}.
 */
final class TemperedKlLoss {

    /** The loss variable. */
    static final String LOSS = "loss/bcu_kl";
    /** Scalar placeholder: the temperature T. */
    static final String TEMPERATURE = "bcu/temperature";

    private TemperedKlLoss() {
    }

    /** Adds the loss to {@code student}'s graph (once) and returns its name. */
    static String addTo(EngineModel student) {
        synchronized (student) {
            SameDiff sd = student.graph();
            if (sd.hasVariable(LOSS)) {
                return LOSS;
            }
            SDVariable teacher = sd.hasVariable(Distillation.TEACHER_LOGITS) ? sd.getVariable(Distillation.TEACHER_LOGITS)
                    : sd.placeHolder(Distillation.TEACHER_LOGITS, student.dataType(), -1, student.numClasses());
            SDVariable t = sd.placeHolder(TEMPERATURE, student.dataType());
            SDVariable logP = logSoftmax(sd, teacher.div(t));
            SDVariable logQ = logSoftmax(sd, sd.getVariable(GraphNames.LOGITS).div(t));
            SDVariable perSample = sd.math().exp(logP).mul(logP.sub(logQ)).sum(1);
            perSample.mean(LOSS);
            return LOSS;
        }
    }

    /** The placeholder values for one batch. */
    static Map<String, INDArray> feeds(INDArray teacherLogits, double temperature) {
        return Map.of(Distillation.TEACHER_LOGITS, teacherLogits, TEMPERATURE, Nd4j.scalar(teacherLogits.dataType(), temperature));
    }

    /** {@code z - max(z) - log(sum(exp(z - max(z))))} per row (SameDiff's logSoftmax with a dimension has no gradient in M2.1). */
    private static SDVariable logSoftmax(SameDiff sd, SDVariable z) {
        SDVariable shifted = z.sub(z.max(true, 1));
        return shifted.sub(sd.math().log(sd.math().exp(shifted).sum(true, 1)));
    }
}
