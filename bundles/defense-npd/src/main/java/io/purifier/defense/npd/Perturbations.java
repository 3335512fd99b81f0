package io.purifier.defense.npd;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The perturbation arithmetic of NPD's inner attack, in [0, 1] pixel space (BackdoorBench
 * {@code get_perturbed_image} and {@code projection}): the perturbed image is {@code clip(x + delta, 0, 1)},
 * while {@code delta} itself is only projected onto the norm ball, never clipped.
 */
final class Perturbations {

    private Perturbations() {
    }

    /** The starting perturbation: zeros, or {@code +radius} everywhere ("max_init"). */
    static INDArray initial(long[] shape, boolean maxInit, double radius) {
        INDArray delta = Nd4j.zeros(DataType.FLOAT, shape);
        return maxInit ? delta.addi(radius) : delta;
    }

    /** {@code clip(x + delta, 0, 1)}. */
    static INDArray perturbed(INDArray images, INDArray delta) {
        return Transforms.max(Transforms.min(images.add(delta), 1.0), 0.0);
    }

    /**
     * The gradient with respect to {@code delta} from the gradient with respect to the perturbed image: the clip
     * passes the gradient where {@code 0 <= x + delta <= 1} (bounds included, as PyTorch's {@code clamp}) and
     * blocks it elsewhere.
     */
    static INDArray gradientThroughClip(INDArray images, INDArray delta, INDArray imageGradient) {
        INDArray sum = images.add(delta);
        INDArray inside = sum.gte(0.0).castTo(DataType.FLOAT).muli(sum.lte(1.0).castTo(DataType.FLOAT));
        return imageGradient.castTo(DataType.FLOAT).mul(inside);
    }

    /** One descent step of a targeted attack: {@code delta - stepSize * sign(g)} or {@code delta - stepSize * g}. */
    static INDArray step(INDArray delta, INDArray gradient, double stepSize, StepRule rule) {
        INDArray direction = rule == StepRule.SIGN ? Transforms.sign(gradient, true) : gradient;
        return delta.sub(direction.mul(stepSize));
    }

    /** Projects each image's perturbation onto the ball of {@code radius}. */
    static INDArray project(INDArray delta, AttackNorm norm, double radius) {
        if (norm == AttackNorm.LINF) {
            return Transforms.max(Transforms.min(delta, radius), -radius);
        }
        return projectL2(delta, radius);
    }

    /** Rescales every image whose L2 norm exceeds {@code radius} onto the sphere; others stay unchanged. */
    static INDArray projectL2(INDArray delta, double radius) {
        long n = delta.size(0);
        double[] norms = delta.norm2(1, 2, 3).toDoubleVector();
        INDArray factors = Nd4j.ones(DataType.FLOAT, n, 1, 1, 1);
        for (int i = 0; i < n; i++) {
            if (norms[i] > radius) {
                factors.putScalar(i, radius / norms[i]);
            }
        }
        return delta.mul(factors);
    }

    /** Per-image L2 norms. */
    static double[] l2Norms(INDArray delta) {
        return delta.norm2(1, 2, 3).toDoubleVector();
    }
}
