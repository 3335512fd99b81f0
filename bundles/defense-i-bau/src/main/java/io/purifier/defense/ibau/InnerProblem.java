package io.purifier.defense.ibau;

import io.purifier.engine.model.BnMode;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.nn.GradientRequest;
import io.purifier.engine.train.LossPass;
import io.purifier.engine.train.Objective;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * I-BAU's inner problem on one batch {@code (x0, y0)} of clean data (the reference uses the first batch for every
 * outer step): {@code L_in(delta, theta) = -CE(f_theta(x0 + delta), y0) + reg ||delta||²} (mean cross-entropy over
 * the batch, the perturbation added to every image), and its fixed-point map
 * {@code fp(delta) = delta - eta grad_delta L_in}. The engine differentiates once; the second derivatives the
 * hypergradient needs are central differences of exact first derivatives along the direction {@code v}:
 * <pre>
 *   H_delta v       = ( grad_delta CE(delta + h v) - grad_delta CE(delta - h v) ) / 2h     (so d²L_in/d delta² v = -H v + 2 reg v)
 *   d/d theta (v . grad_delta CE) = ( grad_theta CE(delta + h v) - grad_theta CE(delta - h v) ) / 2h
 * </pre>
 * with {@code h} chosen so that {@code h v} has a root-mean-square element of {@link #FD_RMS} (normalized input
 * units). Passes run in inference mode (the reference keeps the model in {@code eval()}).
 */
final class InnerProblem implements FixedPointHypergradient.FixedPointMap {

    /** Root-mean-square element of the finite-difference displacement {@code h v}, in normalized input units. */
    static final double FD_RMS = 1e-3;

    private final EngineModel model;
    private final PerturbationSpace space;
    private final INDArray images;
    private final Objective crossEntropy;
    private final INDArray delta;
    private final double eta;
    private final double regularization;

    /**
     * @param model          the model (parameters are read, never changed)
     * @param space          the perturbation's space
     * @param images         {@code x0}, pixels
     * @param labels         {@code y0}
     * @param delta          the current perturbation (normalized units)
     * @param eta            the step of the fixed-point map ({@code GradientDescent(loss_inner, 0.1)})
     * @param regularization {@code reg} (0.001 in the reference)
     */
    InnerProblem(EngineModel model, PerturbationSpace space, INDArray images, int[] labels, INDArray delta, double eta,
                 double regularization) {
        this.model = model;
        this.space = space;
        this.images = images;
        this.crossEntropy = Objective.crossEntropy(labels);
        this.delta = delta;
        this.eta = eta;
        this.regularization = regularization;
    }

    @Override
    public INDArray deltaTransposeProduct(INDArray v) {
        double h = step(v);
        if (h == 0) {
            return v.dup();
        }
        INDArray hv = difference(deltaGradient(delta.add(v.mul(h))), deltaGradient(delta.sub(v.mul(h))), h);
        // J^T v = v - eta (d²L_in/d delta²) v = v - eta (-H v + 2 reg v)
        return v.add(hv.mul(eta)).subi(v.mul(2 * regularization * eta));
    }

    @Override
    public Map<String, INDArray> parameterTransposeProduct(INDArray v) {
        double h = step(v);
        Map<String, INDArray> out = new LinkedHashMap<>();
        if (h == 0) {
            return out;
        }
        Map<String, INDArray> plus = parameterGradient(delta.add(v.mul(h)));
        Map<String, INDArray> minus = parameterGradient(delta.sub(v.mul(h)));
        // J_theta^T v = -eta d/d theta (v . grad_delta L_in) = +eta d/d theta (v . grad_delta CE)
        plus.forEach((name, g) -> out.put(name, difference(g, minus.get(name), h).muli(eta)));
        return out;
    }

    /** {@code grad_delta CE(f(x0 + d), y0)} (normalized units, DOUBLE). */
    INDArray deltaGradient(INDArray d) {
        try (LossPass p = LossPass.run(model, space.perturb(images, d, null), BnMode.EVAL, GradientRequest.inputOnly(),
                crossEntropy, false)) {
            return space.deltaGradient(p.inputGradient(), null);
        }
    }

    /** {@code grad_theta CE(f(x0 + d), y0)} for the trainable parameters (DOUBLE copies). */
    Map<String, INDArray> parameterGradient(INDArray d) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        try (LossPass p = LossPass.run(model, space.perturb(images, d, null), BnMode.EVAL, model.trainableRequest(),
                crossEntropy, false)) {
            p.parameterGradients().forEach((name, g) -> out.put(name, g.castTo(DataType.DOUBLE).dup('c')));
        }
        return out;
    }

    private static double step(INDArray v) {
        double norm = v.norm2Number().doubleValue();
        return norm == 0 ? 0 : FD_RMS * Math.sqrt(v.length()) / norm;
    }

    private static INDArray difference(INDArray plus, INDArray minus, double h) {
        return plus.castTo(DataType.DOUBLE).sub(minus.castTo(DataType.DOUBLE)).divi(2 * h);
    }
}
