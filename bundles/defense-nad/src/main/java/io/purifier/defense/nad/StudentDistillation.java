package io.purifier.defense.nad;

import io.purifier.api.data.ImageSet;
import io.purifier.api.run.RunContext;
import io.purifier.engine.autograd.Var;
import io.purifier.engine.eval.Batches;
import io.purifier.engine.model.BnMode;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.run.ProbeCurves;
import io.purifier.engine.train.BatchAugmenter;
import io.purifier.engine.train.Objective;
import io.purifier.engine.train.Optimizer;
import io.purifier.engine.train.TrainStep;
import io.purifier.engine.train.Trainer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Step 2 of NAD: the backdoored student (batch norm in training mode) learns from the clean images with
 * {@code CE(student, y) + sum_i beta_i AT(student_i, teacher_i)}, the teacher's features taken in inference mode,
 * SGD with momentum and weight decay at NAD's step learning rate ({@link NadLearningRate}). The last epoch's
 * student is the result. Shuffling and augmentation draw from a seed derived from the step's, so they differ from
 * the teacher's fine-tuning.
 *
 * <p>Curves per epoch (x = 1..E): {@code student/loss}, {@code student/cross-entropy}, {@code student/attention
 * <layer>} (weighted by its beta), {@code student/accuracy} (on the augmented batches), {@code student/lr}; from the
 * reporting probe only, {@code test/<metric>} before (x = 0) and after every epoch.</p>
 */
final class StudentDistillation {

    private StudentDistillation() {
    }

    /**
     * Epoch means.
     *
     * @param loss         total loss
     * @param crossEntropy cross-entropy term
     * @param attention    weighted attention term per layer ({@code [epoch][layer]})
     * @param accuracy     training accuracy
     */
    record Report(double[] loss, double[] crossEntropy, double[][] attention, double[] accuracy) {
    }

    /**
     * Trains {@code student} in place.
     *
     * @param teacher the fine-tuned teacher (only read)
     * @param student the student, a copy of the backdoored model
     * @param data    the clean labeled images
     * @param at      attention layers and weights
     * @param p       the parameters
     * @param ctx     progress, curves, cancellation, probe
     */
    static Report run(EngineModel teacher, EngineModel student, ImageSet data, AttentionLayers at, NadParams p,
                      RunContext ctx) {
        Optimizer optimizer = p.studentOptimizer();
        Random rng = new Random(new SplittableRandom(ctx.seed()).nextLong());
        boolean hasBatchNorm = !student.batchNormLayers().isEmpty();
        List<String> layers = at.layers();
        String[] layerArray = layers.toArray(String[]::new);
        int n = data.size();
        int batches = (n + p.batchSize() - 1) / p.batchSize();
        int[] labels = data.labels();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Report report = new Report(new double[p.epochs()], new double[p.epochs()], new double[p.epochs()][layers.size()],
                new double[p.epochs()]);
        ProbeCurves.record(student, ctx, "test/", 0);
        for (int epoch = 0; epoch < p.epochs(); epoch++) {
            long start = System.nanoTime();
            double lr = NadLearningRate.at(epoch, p.learningRate());
            shuffle(order, rng);
            double[] sums = new double[2 + layers.size()];
            long seen = 0;
            long correct = 0;
            for (int b = 0; b < batches; b++) {
                ctx.checkCancelled();
                int[] idx = Arrays.copyOfRange(order, b * p.batchSize(), Math.min(n, (b + 1) * p.batchSize()));
                if (hasBatchNorm && idx.length == 1) {
                    continue;
                }
                INDArray x = BatchAugmenter.apply(Batches.gather(data.images(), idx), p.augmentation(), rng);
                int[] y = new int[idx.length];
                for (int i = 0; i < idx.length; i++) {
                    y[i] = labels[idx[i]];
                }
                Map<String, INDArray> teacherFeatures = teacher.activations(x, BnMode.EVAL, layerArray);
                double[] parts = new double[1 + layers.size()];
                Objective objective = (t, o) -> {
                    Var total = t.crossEntropy(o.logits(), y);
                    parts[0] = total.scalar();
                    for (int l = 0; l < layers.size(); l++) {
                        Var term = AttentionMaps.loss(t, o.layer(layers.get(l)), teacherFeatures.get(layers.get(l)),
                                p.power()).mul(at.betas().get(l));
                        parts[1 + l] = term.scalar();
                        total = total.add(term);
                    }
                    return total;
                };
                TrainStep.Result r;
                try {
                    r = TrainStep.run(student, x, BnMode.TRAIN, objective, optimizer, lr);
                } finally {
                    // activation-sized and off the Java heap: freed now rather than at some garbage collection
                    teacherFeatures.values().forEach(INDArray::close);
                }
                sums[0] += r.loss() * idx.length;
                for (int k = 0; k < parts.length; k++) {
                    sums[1 + k] += parts[k] * idx.length;
                }
                correct += Trainer.countCorrect(r.logits(), y);
                seen += idx.length;
                ctx.progress((double) (epoch * batches + b + 1) / ((long) p.epochs() * batches),
                        "nad student epoch " + (epoch + 1) + "/" + p.epochs());
            }
            record(report, epoch, sums, seen, correct, layers, lr, ctx);
            ProbeCurves.record(student, ctx, "test/", epoch + 1);
            ctx.log(String.format(Locale.ROOT, "nad student epoch %d/%d: loss %.4f (CE %.4f, attention %s), accuracy %.4f, "
                            + "lr %.5f, %.1f s", epoch + 1, p.epochs(), report.loss()[epoch], report.crossEntropy()[epoch],
                    Arrays.toString(report.attention()[epoch]), report.accuracy()[epoch], lr, (System.nanoTime() - start) / 1e9));
        }
        return report;
    }

    private static void record(Report report, int epoch, double[] sums, long seen, long correct, List<String> layers,
                               double lr, RunContext ctx) {
        double d = Math.max(1, seen);
        report.loss()[epoch] = sums[0] / d;
        report.crossEntropy()[epoch] = sums[1] / d;
        for (int l = 0; l < layers.size(); l++) {
            report.attention()[epoch][l] = sums[2 + l] / d;
        }
        report.accuracy()[epoch] = correct / d;
        int x = epoch + 1;
        ctx.curve("student/loss", x, report.loss()[epoch]);
        ctx.curve("student/cross-entropy", x, report.crossEntropy()[epoch]);
        for (int l = 0; l < layers.size(); l++) {
            ctx.curve("student/attention " + layers.get(l), x, report.attention()[epoch][l]);
        }
        ctx.curve("student/accuracy", x, report.accuracy()[epoch]);
        ctx.curve("student/lr", x, lr);
    }

    private static void shuffle(int[] a, Random rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
