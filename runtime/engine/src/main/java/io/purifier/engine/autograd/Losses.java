package io.purifier.engine.autograd;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Objectives defenses share, built from {@link Tape} operations. */
public final class Losses {

    private Losses() {
    }

    /**
     * Knowledge-distillation loss (Hinton et al., 2015): {@code KL(softmax(teacher/T) || softmax(student/T))}
     * averaged over the batch, times {@code T²} when {@code scaleBySquaredT}.
     */
    public static Var distillation(Var student, INDArray teacherLogits, double temperature, boolean scaleBySquaredT) {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
        }
        Tape t = student.tape();
        Var teacher = t.constant(teacherLogits.castTo(student.value().dataType()).div(temperature));
        Var logP = t.logSoftmax(teacher);
        Var p = t.exp(logP);
        // KL = sum p log p - sum p log q; the first term is constant, the second a soft cross-entropy.
        double entropyTerm = p.value().mul(logP.value()).sumNumber().doubleValue() / student.value().size(0);
        Var cross = t.softCrossEntropy(student.mul(1.0 / temperature), p.value());
        Var kl = cross.add(entropyTerm);
        return scaleBySquaredT ? kl.mul(temperature * temperature) : kl;
    }
}
