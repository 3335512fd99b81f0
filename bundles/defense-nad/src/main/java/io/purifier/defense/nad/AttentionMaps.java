package io.purifier.defense.nad;

import io.purifier.engine.autograd.Tape;
import io.purifier.engine.autograd.Var;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * NAD's attention transfer (Zagoruyko and Komodakis's attention maps, as NAD's and BackdoorBench's {@code AT}
 * module): the map of a feature tensor {@code f [N, C, H, W]} is {@code A = sum_c |f_c|^p}, normalized per image by
 * its L2 norm over the positions, {@code A / (||A||_2 + 1e-6)}; the loss between student and teacher is the mean
 * squared difference of their maps over images and positions. A 2-D output {@code [N, C]} counts as
 * {@code [N, C, 1, 1]}: its map is {@code A / (|A| + 1e-6)}, about 1 wherever {@code A} is not tiny.
 */
final class AttentionMaps {

    /** Added to the norm before dividing (the reference's {@code eps}). */
    static final double EPS = 1e-6;

    private AttentionMaps() {
    }

    /** The normalized attention map {@code [N, 1, H, W]} of {@code features}. */
    static Var map(Tape t, Var features, double p) {
        Var f = features.shape().length == 2
                ? t.reshape(features, features.shape()[0], features.shape()[1], 1, 1)
                : features;
        if (f.shape().length != 4) {
            throw new IllegalArgumentException("attention maps need [N, C, H, W] or [N, C] features, got rank "
                    + f.shape().length);
        }
        Var magnitude = p == 2.0 ? t.square(f) : t.pow(t.abs(f), p);
        Var a = magnitude.sum(1);
        Var norm = t.sqrt(t.square(a).sum(2, 3)).add(EPS);
        return a.div(norm);
    }

    /**
     * {@code mean((map(student) - map(teacher))^2)}; gradients flow into {@code student} only.
     *
     * @param student the student's features on the tape
     * @param teacher the teacher's features for the same images (a constant)
     */
    static Var loss(Tape t, Var student, INDArray teacher, double p) {
        Var fixed = t.constant(teacher.castTo(student.value().dataType()));
        return t.square(map(t, student, p).sub(map(t, fixed, p))).mean();
    }
}
