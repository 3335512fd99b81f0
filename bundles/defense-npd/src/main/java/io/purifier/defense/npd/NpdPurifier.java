package io.purifier.defense.npd;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.ImageSet;
import io.purifier.api.defense.DefenseResult;
import io.purifier.api.run.RunContext;
import io.purifier.engine.blocks.Freezing;
import io.purifier.engine.model.EngineModel;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One NPD run: copy the model, insert and train the polarizer with everything else frozen, then build the
 * purified model as a fresh copy of the input plus the trained polarizer (so it carries no training-only state:
 * frozen flags, pinned batch norms).
 */
final class NpdPurifier {

    private NpdPurifier() {
    }

    /**
     * Purifies {@code model} (not modified).
     *
     * @param model the backdoored model
     * @param data  the labeled clean defense data
     * @param p     the parameters
     * @param ctx   seed, progress, curves, cancellation
     */
    static DefenseResult purify(EngineModel model, ImageSet data, NpdParams p, RunContext ctx) {
        checkData(model, data);
        long started = System.nanoTime();
        String layer = p.layer().isEmpty() ? PolarizerInsertion.defaultLayer(model) : p.layer();
        AttackConfig attack = p.attack(data.channels(), data.height(), data.width());

        EngineModel work = model.copy();
        Polarizer np = PolarizerInsertion.insert(work, layer, p.placement(), ctx.seed());
        Freezing.freezeAllExcept(work, np.layers());
        if (p.batchNormStart() == NpdParams.BatchNormStart.IDENTITY) {
            INDArray variance = PolarizerStatistics.startAsIdentity(work, np, data, p.batchSize());
            ctx.log(String.format(Locale.ROOT, "npd: polarizer batch norm starts as the identity on the defense data "
                    + "(feature variance min %.3g, median %.3g)", variance.minNumber().doubleValue(),
                    variance.medianNumber().doubleValue()));
        }
        ctx.log(String.format(Locale.ROOT, "npd: polarizer at the %s, %d trainable values; %d clean images; "
                        + "attack %s radius %.4f step %.4f x %d (%s), early stop above %.2f; %d warm-up + %d epochs",
                np.describe(), np.parameterCount(), data.size(), attack.norm().id(), attack.radius(), attack.stepSize(),
                attack.steps(), attack.stepRule().id(), attack.earlyStopFraction(), p.warmupEpochs(), p.epochs()));

        NpdTraining training = new NpdTraining(work, np, p, attack, data.size(), ctx);
        training.run(data, ctx.newRandom());

        EngineModel purified = model.copy();
        Polarizer installed = PolarizerInsertion.insert(purified, layer, p.placement(), ctx.seed());
        PolarizerInsertion.copyState(work, np, purified, installed);
        purified.setProperty("defense.npd", "neural polarizer at the " + installed.describe());
        ctx.progress(1.0, "npd: done");

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("layer", layer);
        summary.put("placement", p.placement().id());
        summary.put("channels", installed.channels());
        summary.put("polarizerParameters", installed.parameterCount());
        summary.put("cleanImages", data.size());
        summary.put("warmupEpochs", p.warmupEpochs());
        summary.put("epochs", p.epochs());
        summary.put("attackNorm", attack.norm().id());
        summary.put("attackRadius", attack.radius());
        EpochStats last = training.lastEpoch();
        if (last != null) {
            summary.put("finalL1", last.l1());
            summary.put("finalL2", last.l2());
            summary.put("finalL3", last.l3());
            summary.put("finalL4", last.l4());
            summary.put("finalDefenseDataAccuracy", last.cleanAccuracy());
            summary.put("finalAttackHitRate", last.meanHitRate());
            summary.put("finalMeanAttackSteps", last.meanSteps());
        }
        summary.put("batchNormStart", p.batchNormStart().id());
        summary.put("learningRate", training.learningRate());
        summary.put("learningRateHalvings", training.halvings());
        summary.put("seconds", Math.round((System.nanoTime() - started) / 1e8) / 10.0);
        return new DefenseResult(purified, summary);
    }

    private static void checkData(EngineModel model, ImageSet data) {
        if (data.size() == 0) {
            throw new InvalidInputException("npd needs labeled clean images, but the defense data is empty");
        }
        model.checkImages(data.images());
        if (data.numClasses() != model.numClasses()) {
            throw new InvalidInputException("the defense data has " + data.numClasses() + " classes but the model has "
                    + model.numClasses());
        }
    }
}
