package io.purifier.engine.blocks;

import io.purifier.engine.model.EngineModel;
import io.purifier.engine.nn.GradientRequest;
import io.purifier.engine.train.LossPass;
import io.purifier.engine.train.Objective;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Input-gradient PGD (Madry et al., 2018) on an {@link EngineModel}, L-infinity or L2, targeted or not, with
 * projection onto the epsilon ball and clipping to [0, 1] after every step, and a per-sample early stop.
 */
public final class Pgd {

    /** Images per internal batch. */
    public static final int BATCH = 256;

    private Pgd() {
    }

    /**
     * Perturbs {@code images}.
     *
     * @param model  the model under attack
     * @param images {@code [N, C, H, W]} clean pixels in [0, 1] (not modified)
     * @param labels true labels (untargeted) or target labels (targeted)
     * @param cfg    norm, radius, step, steps, start, direction, batch-norm mode
     * @param stop   per-sample early stop (use {@link EarlyStop#never()} for plain PGD)
     * @param rng    random source of the random start
     */
    public static PgdResult perturb(EngineModel model, INDArray images, int[] labels, PgdConfig cfg, EarlyStop stop,
                                    Random rng) {
        model.checkImages(images);
        if (images.size(0) != labels.length) {
            throw new IllegalArgumentException(images.size(0) + " images but " + labels.length + " labels");
        }
        int n = labels.length;
        List<INDArray> parts = new ArrayList<>();
        int[] steps = new int[n];
        for (int start = 0; start < n; start += BATCH) {
            int end = Math.min(n, start + BATCH);
            INDArray x = images.get(NDArrayIndex.interval(start, end)).castTo(DataType.FLOAT).dup('c');
            int[] y = java.util.Arrays.copyOfRange(labels, start, end);
            int[] s = new int[end - start];
            parts.add(batch(model, x, y, cfg, stop, rng, s));
            System.arraycopy(s, 0, steps, start, s.length);
        }
        return new PgdResult(parts.size() == 1 ? parts.get(0) : Nd4j.concat(0, parts.toArray(INDArray[]::new)), steps);
    }

    private static INDArray batch(EngineModel model, INDArray x, int[] y, PgdConfig cfg, EarlyStop stop, Random rng,
                                  int[] stepsTaken) {
        int b = y.length;
        long[] shape = x.shape();
        INDArray delta = cfg.randomStart() && cfg.epsilon() > 0 ? randomStart(shape, cfg, rng) : Nd4j.zeros(DataType.FLOAT, shape);
        INDArray adv = clip(x.add(delta));
        delta = adv.sub(x);
        Objective objective = Objective.crossEntropy(y);
        boolean[] done = new boolean[b];
        double sign = cfg.targeted() ? -1.0 : 1.0;
        for (int step = 0; step < cfg.steps(); step++) {
            INDArray g;
            boolean[] finished;
            try (LossPass r = LossPass.run(model, adv, cfg.mode(), GradientRequest.inputOnly(), objective, false)) {
                finished = stop.done(step, r.logits(), y);
                g = r.inputGradient().dup('c').castTo(DataType.FLOAT).muli(sign);
            }
            INDArray active = Nd4j.zeros(DataType.FLOAT, b, 1, 1, 1);
            boolean any = false;
            for (int i = 0; i < b; i++) {
                done[i] |= finished[i];
                if (!done[i]) {
                    active.putScalar(i, 1.0);
                    stepsTaken[i]++;
                    any = true;
                }
            }
            if (!any) {
                break;
            }
            INDArray next = cfg.norm() == PgdConfig.Norm.LINF
                    ? Transforms.max(Transforms.min(delta.add(Transforms.sign(g).muli(cfg.stepSize())), cfg.epsilon()), -cfg.epsilon())
                    : projectL2(delta.add(perImageNormalize(g).muli(cfg.stepSize())), cfg.epsilon());
            INDArray candidate = clip(x.add(next));
            // keep finished samples where they are
            adv = candidate.mul(active).addi(adv.mul(active.rsub(1.0)));
            delta = adv.sub(x);
        }
        return adv;
    }

    private static INDArray randomStart(long[] shape, PgdConfig cfg, Random rng) {
        int len = (int) (shape[0] * shape[1] * shape[2] * shape[3]);
        float[] v = new float[len];
        if (cfg.norm() == PgdConfig.Norm.LINF) {
            for (int i = 0; i < len; i++) {
                v[i] = (float) ((rng.nextDouble() * 2 - 1) * cfg.epsilon());
            }
            return Nd4j.create(v, shape, 'c');
        }
        for (int i = 0; i < len; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        INDArray dir = perImageNormalize(Nd4j.create(v, shape, 'c'));
        INDArray radius = Nd4j.zeros(DataType.FLOAT, shape[0], 1, 1, 1);
        for (int i = 0; i < shape[0]; i++) {
            radius.putScalar(i, rng.nextDouble() * cfg.epsilon());
        }
        return dir.muli(radius);
    }

    private static INDArray perImageNormalize(INDArray g) {
        INDArray norms = g.norm2(1, 2, 3).reshape(g.size(0), 1, 1, 1).addi(1e-12);
        return g.div(norms);
    }

    private static INDArray projectL2(INDArray delta, double epsilon) {
        if (epsilon == 0) {
            return delta.mul(0);
        }
        INDArray norms = delta.norm2(1, 2, 3).reshape(delta.size(0), 1, 1, 1);
        INDArray factor = Transforms.min(norms.rdiv(epsilon), 1.0);
        // norms of 0 give +inf -> min(inf, 1) = 1
        return delta.mul(factor);
    }

    private static INDArray clip(INDArray a) {
        return Transforms.max(Transforms.min(a, 1.0), 0.0);
    }
}
