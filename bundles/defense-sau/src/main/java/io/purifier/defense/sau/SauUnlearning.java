package io.purifier.defense.sau;

import io.purifier.api.data.Augmentation;
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
import io.purifier.engine.train.Optimizer;
import io.purifier.engine.run.ProbeCurves;
import io.purifier.engine.train.Trainer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * SAU's rounds on a copy of the model: for every batch of the clean data (shuffled, not augmented: BackdoorBench
 * loads it with its test transform), a {@link SharedPgd} perturbation against the copy and the frozen original, then
 * {@code outerSteps} Adam (AMSGrad) steps on {@link SauLosses#unlearning}, batch norm in inference mode unless
 * {@code trainMode}. The last round's model is the result.
 *
 * <p>Curves per round: {@code loss/clean CE}, {@code loss/adversarial CE}, {@code loss/shared risk},
 * {@code loss/total} (means over the round's steps), {@code adversarial/shared rate} (share of images whose PGD ended
 * as a shared adversarial example), {@code adversarial/potential poison rate} (share the original is fooled on, the
 * rows the shared risk unlearns), {@code train/accuracy} (clean rows), and from the reporting probe only
 * {@code test/<metric>}.</p>
 */
final class SauUnlearning {

    private SauUnlearning() {
    }

    /** Unlearns on a copy of {@code model} (which is not modified; it is the frozen original). */
    static DefenseResult purify(EngineModel model, ImageSet clean, SauParams p, RunContext ctx) {
        long started = System.nanoTime();
        DataChecks.labeled(model, clean, SauDefense.ID, 2);
        EngineModel student = model.copy();
        Freezing.unfreezeAll(student);
        Optimizer adam = Optimizer.amsgrad(p.weightDecay());
        Random rng = ctx.newRandom();
        boolean skipSingle = p.trainMode() && !student.batchNormLayers().isEmpty();
        int perRound = Minibatches.count(clean.size(), p.batchSize(), skipSingle);
        long total = (long) perRound * p.epochs();
        long done = 0;
        Map<String, Double> last = Map.of();
        probe(student, p, 0, ctx);
        for (int round = 1; round <= p.epochs(); round++) {
            long start = System.nanoTime();
            double[] sums = new double[4];
            long shared = 0;
            long poison = 0;
            long correct = 0;
            long images = 0;
            int steps = 0;
            for (Minibatches.Batch b : Minibatches.shuffled(clean, p.batchSize(), Augmentation.none(), rng, skipSingle)) {
                ctx.checkCancelled();
                SharedPgd.Result attack = SharedPgd.attack(student, model, b.images(), b.labels(), p, rng);
                shared += attack.shared();
                for (int s = 0; s < p.outerSteps(); s++) {
                    Step r = unlearn(student, model, b.images(), attack.perturbation(), b.labels(), p, adam);
                    for (int i = 0; i < 4; i++) {
                        sums[i] += r.terms()[i];
                    }
                    steps++;
                    if (s == 0) {
                        poison += r.potentialPoison();
                        correct += r.correct();
                    }
                }
                attack.perturbation().close();
                images += b.size();
                done++;
                ctx.progress((double) done / total, "SAU round " + round + "/" + p.epochs());
            }
            last = new LinkedHashMap<>();
            String[] names = {"clean CE", "adversarial CE", "shared risk", "total"};
            for (int i = 0; i < 4; i++) {
                double mean = steps == 0 ? 0 : sums[i] / steps;
                last.put(names[i], mean);
                ctx.curve("loss/" + names[i], round, mean);
            }
            double sharedRate = images == 0 ? 0 : (double) shared / images;
            double poisonRate = images == 0 ? 0 : (double) poison / images;
            ctx.curve("adversarial/shared rate", round, sharedRate);
            ctx.curve("adversarial/potential poison rate", round, poisonRate);
            ctx.curve("train/accuracy", round, images == 0 ? 0 : (double) correct / images);
            probe(student, p, round, ctx);
            ctx.log(String.format(Locale.ROOT, "sau round %d/%d: clean CE %.4f, shared risk %.4f, shared adversarial "
                    + "%.4f, potential poison %.4f, %.1f s", round, p.epochs(), last.get("clean CE"),
                    last.get("shared risk"), sharedRate, poisonRate, (System.nanoTime() - start) / 1e9));
        }
        student.setProperty("sau", String.format(Locale.ROOT, "%d rounds on %d clean images, seed %d", p.epochs(),
                clean.size(), ctx.seed()));
        ctx.progress(1, "done");
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("cleanImages", clean.size());
        summary.put("rounds", p.epochs());
        summary.put("unlearningSteps", done * p.outerSteps());
        summary.put("finalCleanCE", last.getOrDefault("clean CE", 0.0));
        summary.put("finalSharedRisk", last.getOrDefault("shared risk", 0.0));
        summary.put("seconds", (System.nanoTime() - started) / 1e9);
        return new DefenseResult(student, summary);
    }

    /**
     * One unlearning step's outcome.
     *
     * @param terms           clean CE, adversarial CE, shared risk, total
     * @param potentialPoison rows the shared risk covered
     * @param correct         clean rows the model classified right
     */
    record Step(double[] terms, int potentialPoison, long correct) {
    }

    /** One optimiser step on the unlearning loss of a batch and its perturbation. */
    static Step unlearn(EngineModel student, EngineModel original, INDArray images, INDArray perturbation, int[] labels,
                        SauParams p, Optimizer optimizer) {
        INDArray x = images.castTo(DataType.FLOAT);
        INDArray perturbed = x.add(perturbation);
        int b = labels.length;
        int[] originalClean = Evaluator.argMax(original.logits(x));
        int[] originalPerturbed = Evaluator.argMax(original.logits(perturbed));
        boolean[] potentialPoison = new boolean[b];
        int count = 0;
        for (int i = 0; i < b; i++) {
            potentialPoison[i] = originalPerturbed[i] != labels[i] && originalPerturbed[i] != originalClean[i];
            count += potentialPoison[i] ? 1 : 0;
        }
        double[] terms = new double[4];
        BnMode mode = p.trainMode() ? BnMode.TRAIN : BnMode.EVAL;
        long correct;
        INDArray stacked = Nd4j.concat(0, x, perturbed);
        try (LossPass pass = LossPass.run(student, stacked, mode, student.trainableRequest(),
                (t, o) -> {
                    SauLosses.Unlearning u = SauLosses.unlearning(t, o.logits(), labels, originalPerturbed,
                            potentialPoison, p.lambda1(), p.lambda2(), p.lambda3());
                    terms[0] = u.clean().scalar();
                    terms[1] = u.adversarial().scalar();
                    terms[2] = u.shared().scalar();
                    return u.total();
                })) {
            terms[3] = pass.loss();
            INDArray cleanLogits = pass.logits().get(NDArrayIndex.interval(0, b));
            correct = Trainer.countCorrect(cleanLogits, labels);
            optimizer.step(student, pass.parameterGradients(), p.learningRate());
        } finally {
            // image-sized, one set per step: freed now, not whenever the collector runs
            stacked.close();
            perturbed.close();
        }
        return new Step(terms, count, correct);
    }

    private static void probe(EngineModel model, SauParams p, int round, RunContext ctx) {
        if (p.probesAt(round)) {
            ProbeCurves.record(model, ctx, "test/", round);
        }
    }
}
