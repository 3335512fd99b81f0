package io.purifier.defense.bcu;

import io.purifier.api.data.Augmentation;
import io.purifier.api.run.ReportingProbe;
import io.purifier.api.run.RunContext;
import io.purifier.engine.eval.Batches;
import io.purifier.engine.eval.Evaluator;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.train.BatchAugmenter;
import io.purifier.engine.train.Optimizer;
import io.purifier.engine.train.TrainStep;
import io.purifier.engine.train.TrainingConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Step 2 of BCU: knowledge distillation from the frozen teacher (inference mode) into the re-initialized student
 * (batch norm in training mode, so its running statistics adapt to the unlabeled images) with
 * {@code KL(softmax(teacher/T_e) || softmax(student/T_e))} averaged over the batch, no T² factor, SGD with
 * momentum and weight decay ({@link TemperedKlLoss}), cosine learning rate per epoch, and the temperature of {@link TemperatureSchedule}.
 * The last epoch's student is the result: nothing is selected on any data.
 *
 * <p>Curves: {@code loss/KL} (epoch mean), {@code schedule/temperature}, {@code schedule/learning rate},
 * {@code agreement/unlabeled} (arg-max agreement with the teacher on the un-augmented unlabeled images,
 * inference mode; epoch 0 is right after re-initialization) and, from the reporting probe only,
 * {@code test/<metric>}.</p>
 */
final class UnlabeledDistillation {

    private UnlabeledDistillation() {
    }

    /**
     * Per-epoch results.
     *
     * @param losses       epoch-mean KL loss, per epoch
     * @param agreements   agreement with the teacher on the unlabeled images: index 0 after re-initialization,
     *                     index e after epoch e
     * @param temperatures temperature per epoch
     */
    record Report(double[] losses, double[] agreements, double[] temperatures) {
    }

    /**
     * Trains {@code student} in place.
     *
     * @param teacher   the backdoored model (only read)
     * @param student   the re-initialized copy
     * @param unlabeled {@code [N, C, H, W]} images in [0, 1]
     * @param teacherVotes the teacher's arg-max on {@code unlabeled} (inference mode), for the agreement curve
     * @param p         the parameters
     * @param ctx       seed, progress, curves, cancellation, reporting probe
     */
    static Report run(EngineModel teacher, EngineModel student, INDArray unlabeled, int[] teacherVotes, BcuParams p,
                      RunContext ctx) {
        TrainingConfig cfg = p.training();
        TemperatureSchedule schedule = p.temperatures();
        Augmentation aug = p.augmentation();
        Optimizer optimizer = cfg.newOptimizer();
        Random rng = ctx.newRandom();
        boolean hasBatchNorm = !student.batchNormLayers().isEmpty();
        int n = (int) unlabeled.size(0);
        int batchesPerEpoch = (n + cfg.batchSize() - 1) / cfg.batchSize();
        long totalBatches = (long) batchesPerEpoch * cfg.epochs();
        double[] losses = new double[cfg.epochs()];
        double[] agreements = new double[cfg.epochs() + 1];
        double[] temperatures = new double[cfg.epochs()];
        agreements[0] = agreement(student, unlabeled, teacherVotes);
        ctx.curve("agreement/unlabeled", 0, agreements[0]);
        probe(student, p, 0, ctx);
        ctx.log(String.format(Locale.ROOT, "bcu: agreement with the teacher after re-initialization %.4f", agreements[0]));
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int epoch = 0; epoch < cfg.epochs(); epoch++) {
            long start = System.nanoTime();
            double temperature = schedule.at(epoch);
            double lr = cfg.learningRateAt(epoch);
            shuffle(order, rng);
            double lossSum = 0;
            long seen = 0;
            for (int b = 0; b < batchesPerEpoch; b++) {
                ctx.checkCancelled();
                int[] idx = Arrays.copyOfRange(order, b * cfg.batchSize(), Math.min(n, (b + 1) * cfg.batchSize()));
                if (hasBatchNorm && idx.length == 1) {
                    continue;
                }
                INDArray x = BatchAugmenter.apply(Batches.gather(unlabeled, idx), aug, rng);
                INDArray teacherLogits = teacher.logits(x);
                lossSum += TrainStep.run(student, x, TemperedKlLoss.objective(teacherLogits, temperature), optimizer, lr)
                        .loss() * idx.length;
                seen += idx.length;
                long done = (long) epoch * batchesPerEpoch + b + 1;
                ctx.progress((double) done / totalBatches, "distillation epoch " + (epoch + 1) + "/" + cfg.epochs());
            }
            losses[epoch] = seen == 0 ? 0 : lossSum / seen;
            temperatures[epoch] = temperature;
            agreements[epoch + 1] = agreement(student, unlabeled, teacherVotes);
            int e = epoch + 1;
            ctx.curve("loss/KL", e, losses[epoch]);
            ctx.curve("schedule/temperature", e, temperature);
            ctx.curve("schedule/learning rate", e, lr);
            ctx.curve("agreement/unlabeled", e, agreements[e]);
            probe(student, p, e, ctx);
            ctx.log(String.format(Locale.ROOT, "bcu epoch %d/%d: KL %.5f, T %.3f, lr %.5f, agreement %.4f, %.1f s",
                    e, cfg.epochs(), losses[epoch], temperature, lr, agreements[e], (System.nanoTime() - start) / 1e9));
        }
        return new Report(losses, agreements, temperatures);
    }

    /** Share of images on which the student's arg-max (inference mode) equals the teacher's. */
    static double agreement(EngineModel student, INDArray images, int[] teacherVotes) {
        return Evaluator.accuracy(Evaluator.predict(student, images), teacherVotes);
    }

    private static void probe(EngineModel student, BcuParams p, int epoch, RunContext ctx) {
        if (!p.probesAt(epoch)) {
            return;
        }
        ctx.reportingProbe().ifPresent((ReportingProbe probe) -> {
            List<Map.Entry<String, Double>> values = new ArrayList<>(probe.evaluate(student).entrySet());
            for (Map.Entry<String, Double> v : values) {
                if (v.getValue() != null && Double.isFinite(v.getValue())) {
                    ctx.curve("test/" + v.getKey(), epoch, v.getValue());
                }
            }
        });
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
