package io.purifier.defense.sau;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.List;
import java.util.Random;

/**
 * The threat models of SAU's shared PGD ({@code Shared_PGD.projection} and {@code init_pert}): per-image
 * perturbations in pixel units, projected onto an L-infinity box, an L1 or L2 ball of radius {@code bound}, or left
 * free ({@code Reg}).
 */
enum PerturbationNorm {
    /** Clamp every pixel to [-bound, bound]. */
    L_INF("L_inf"),
    /** Scale an image's perturbation down to L1 norm {@code bound} when it is larger. */
    L1("L1"),
    /** Scale an image's perturbation down to L2 norm {@code bound} when it is larger. */
    L2("L2"),
    /** No projection. */
    REG("Reg");

    /** The parameter values. */
    static final List<String> CHOICES = List.of("L_inf", "L1", "L2", "Reg");

    private final String id;

    PerturbationNorm(String id) {
        this.id = id;
    }

    /** The parameter value. */
    String id() {
        return id;
    }

    static PerturbationNorm fromId(String id) {
        for (PerturbationNorm n : values()) {
            if (n.id.equals(id)) {
                return n;
            }
        }
        throw new IllegalArgumentException("unknown norm '" + id + "' (one of " + CHOICES + ")");
    }

    /** Projects {@code pert} ({@code [B, ...]}) in place and returns it. */
    INDArray project(INDArray pert, double bound) {
        switch (this) {
            case L_INF -> {
                INDArray clamped = Transforms.max(
                        Transforms.min(pert, bound, true), -bound, false);
                pert.assign(clamped);
                clamped.close();
            }
            case L1, L2 -> {
                for (long i = 0; i < pert.size(0); i++) {
                    INDArray row = pert.get(NDArrayIndex.point(i));
                    double norm = this == L1 ? row.norm1Number().doubleValue() : row.norm2Number().doubleValue();
                    if (norm > bound) {
                        row.muli(bound / norm);
                    }
                }
            }
            case REG -> {
            }
            default -> throw new IllegalStateException(id);
        }
        return pert;
    }

    /** The starting perturbation of {@code init} ({@code zero}, {@code random} U[0, 1), {@code max}, {@code min}), projected. */
    INDArray start(String init, long[] shape, double bound, Random rng) {
        INDArray pert = switch (init) {
            case "zero" -> Nd4j.zeros(DataType.FLOAT, shape);
            case "random" -> uniform(shape, rng);
            case "max" -> Nd4j.valueArrayOf(shape, (float) bound);
            case "min" -> Nd4j.valueArrayOf(shape, (float) -bound);
            default -> throw new IllegalArgumentException("unknown start '" + init + "' (one of " + INITS + ")");
        };
        return project(pert, bound);
    }

    /** The starts. */
    static final List<String> INITS = List.of("zero", "random", "max", "min");

    private static INDArray uniform(long[] shape, Random rng) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextFloat();
        }
        return Nd4j.create(v, shape, 'c');
    }
}
