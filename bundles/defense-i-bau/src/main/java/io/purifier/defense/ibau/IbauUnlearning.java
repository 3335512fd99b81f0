package io.purifier.defense.ibau;

import io.purifier.api.data.ImageSet;
import io.purifier.api.defense.DefenseResult;
import io.purifier.api.run.RunContext;
import io.purifier.engine.blocks.Freezing;
import io.purifier.engine.eval.Evaluator;
import io.purifier.engine.model.BnMode;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.train.DataChecks;
import io.purifier.engine.train.LossPass;
import io.purifier.engine.train.Minibatches;
import io.purifier.engine.train.Objective;
import io.purifier.engine.train.Optimizer;
import io.purifier.engine.run.ProbeCurves;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * I-BAU's rounds on a copy of the model, in inference mode throughout (the reference calls {@code model.eval()}):
 * <ol>
 *   <li>the clean data is drawn once into fixed batches (shuffled, augmented), as the reference's
 *   {@code images_list};</li>
 *   <li>each round: a universal perturbation from one fresh pass ({@link UniversalPerturbation}), then one unlearning
 *   step per fixed batch: the outer loss is the cross-entropy of the batch with the perturbation added to
 *   {@link IbauParams#patched} random images, its hypergradient comes from {@link FixedPointHypergradient} over the
 *   {@link InnerProblem} of the first fixed batch, and Adam with AMSGrad applies it.</li>
 * </ol>
 * The last round's model is the result.
 *
 * <p>Curves per round: {@code perturbation/norm} (normalized units), {@code perturbation/flip rate} (share of the
 * fixed clean images whose prediction the perturbation changes, before that round's unlearning), {@code loss/outer CE}
 * (mean), {@code hypergradient/fixed-point residual} (mean of the last iteration's change), and from the reporting
 * probe only {@code test/<metric>}.</p>
 */
final class IbauUnlearning {

    private IbauUnlearning() {
    }

    /** Unlearns on a copy of {@code model} (which is not modified). */
    static DefenseResult purify(EngineModel model, ImageSet clean, IbauParams p, RunContext ctx) {
        long started = System.nanoTime();
        DataChecks.labeled(model, clean, IbauDefense.ID, 2);
        EngineModel student = model.copy();
        Freezing.unfreezeAll(student);
        var info = student.info();
        PerturbationSpace space = new PerturbationSpace(info.normalization(), info.channels(), info.height(), info.width());
        Random rng = ctx.newRandom();
        List<Minibatches.Batch> fixed = new ArrayList<>();
        Minibatches.shuffled(clean, p.batchSize(), p.augmentation(), rng, false).forEach(fixed::add);
        Minibatches.Batch inner = fixed.get(0);
        Optimizer outer = Optimizer.amsgrad(p.weightDecay());
        long steps = (long) p.rounds() * fixed.size();
        long done = 0;
        double lastNorm = 0;
        double lastFlip = 0;
        double lastLoss = 0;
        probe(student, p, 0, ctx);
        for (int round = 1; round <= p.rounds(); round++) {
            long start = System.nanoTime();
            ctx.progress((double) done / steps, "I-BAU round " + round + "/" + p.rounds() + ": perturbation");
            INDArray delta = UniversalPerturbation.search(student, space,
                    Minibatches.shuffled(clean, p.batchSize(), p.augmentation(), rng, false),
                    p.perturbationLearningRate(), p.perturbationRegularization(), p.perturbationNormBound(), ctx);
            lastNorm = delta.norm2Number().doubleValue();
            lastFlip = flipRate(student, space, fixed, delta);
            double lossSum = 0;
            double residualSum = 0;
            for (Minibatches.Batch b : fixed) {
                ctx.checkCancelled();
                Outer o = outerStep(student, space, b, inner, delta, p, rng, outer);
                lossSum += o.loss();
                residualSum += o.residual();
                done++;
                ctx.progress((double) done / steps, "I-BAU round " + round + "/" + p.rounds() + ": unlearning");
            }
            lastLoss = lossSum / fixed.size();
            ctx.curve("perturbation/norm", round, lastNorm);
            ctx.curve("perturbation/flip rate", round, lastFlip);
            ctx.curve("loss/outer CE", round, lastLoss);
            ctx.curve("hypergradient/fixed-point residual", round, residualSum / fixed.size());
            probe(student, p, round, ctx);
            ctx.log(String.format(Locale.ROOT, "i-bau round %d/%d: perturbation norm %.4f flips %.4f of the clean "
                    + "images, outer CE %.4f, %.1f s", round, p.rounds(), lastNorm, lastFlip, lastLoss,
                    (System.nanoTime() - start) / 1e9));
        }
        student.setProperty("i-bau", String.format(Locale.ROOT, "%d rounds, K %d, on %d clean images, seed %d",
                p.rounds(), p.fixedPointIterations(), clean.size(), ctx.seed()));
        ctx.progress(1, "done");
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("cleanImages", clean.size());
        summary.put("rounds", p.rounds());
        summary.put("unlearningSteps", done);
        summary.put("finalPerturbationNorm", lastNorm);
        summary.put("finalFlipRate", lastFlip);
        summary.put("finalOuterCE", lastLoss);
        summary.put("seconds", (System.nanoTime() - started) / 1e9);
        return new DefenseResult(student, summary);
    }

    /** One outer step's loss and fixed-point residual. */
    record Outer(double loss, double residual) {
    }

    /** One unlearning step on batch {@code b}: outer gradients, hypergradient, optimiser update. */
    static Outer outerStep(EngineModel model, PerturbationSpace space, Minibatches.Batch b, Minibatches.Batch inner,
                           INDArray delta, IbauParams p, Random rng, Optimizer optimizer) {
        boolean[] rows = pick(b.size(), p.patched(b.size()), rng);
        Map<String, INDArray> outerParameters = new LinkedHashMap<>();
        INDArray outerDelta;
        double loss;
        try (LossPass pass = LossPass.run(model, space.perturb(b.images(), delta, rows), BnMode.EVAL,
                model.trainableRequest().withInput(), Objective.crossEntropy(b.labels()), false)) {
            loss = pass.loss();
            pass.parameterGradients().forEach((name, g) -> outerParameters.put(name, g.castTo(DataType.DOUBLE).dup('c')));
            outerDelta = space.deltaGradient(pass.inputGradient(), rows);
        }
        InnerProblem problem = new InnerProblem(model, space, inner.images(), inner.labels(), delta, p.innerStepSize(),
                p.perturbationRegularization());
        FixedPointHypergradient.Result h = FixedPointHypergradient.compute(problem, outerDelta, outerParameters,
                p.fixedPointIterations(), 1e-10);
        optimizer.step(model, h.gradient(), p.learningRate());
        return new Outer(loss, h.residual());
    }

    /** {@code count} distinct rows of {@code n}, drawn from {@code rng} (Python's {@code random.sample}). */
    static boolean[] pick(int n, int count, Random rng) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        boolean[] rows = new boolean[n];
        for (int i = 0; i < count; i++) {
            int j = i + rng.nextInt(n - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
            rows[order[i]] = true;
        }
        return rows;
    }

    /** Share of the fixed batches' images whose predicted class changes when {@code delta} is added. */
    static double flipRate(EngineModel model, PerturbationSpace space, List<Minibatches.Batch> batches, INDArray delta) {
        long flips = 0;
        long total = 0;
        for (Minibatches.Batch b : batches) {
            int[] clean = Evaluator.argMax(model.logits(b.images()));
            int[] perturbed = Evaluator.argMax(model.logits(space.perturb(b.images(), delta, null)));
            for (int i = 0; i < clean.length; i++) {
                flips += clean[i] != perturbed[i] ? 1 : 0;
            }
            total += clean.length;
        }
        return total == 0 ? 0 : (double) flips / total;
    }

    private static void probe(EngineModel model, IbauParams p, int round, RunContext ctx) {
        if (p.probesAt(round)) {
            ProbeCurves.record(model, ctx, "test/", round);
        }
    }
}
