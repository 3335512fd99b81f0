package io.purifier.defense.bcu;

import io.purifier.engine.autograd.Losses;
import io.purifier.engine.train.Objective;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * BCU's distillation loss at the epoch's temperature: {@code (1/B) sum_i sum_c P_ic (log P_ic - log Q_ic)} with
 * {@code P = softmax(teacher/T)}, {@code Q = softmax(student/T)}, no T² factor: the engine's
 * {@link Losses#distillation} unscaled. The gradient with respect to the student logits is {@code (Q - P)/(T B)}.
 */
final class TemperedKlLoss {

    private TemperedKlLoss() {
    }

    /** The objective for one batch. */
    static Objective objective(INDArray teacherLogits, double temperature) {
        return (t, o) -> Losses.distillation(o.logits(), teacherLogits, temperature, false);
    }
}
