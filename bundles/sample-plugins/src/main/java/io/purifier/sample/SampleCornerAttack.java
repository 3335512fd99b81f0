package io.purifier.sample;

import io.purifier.api.InvalidInputException;
import io.purifier.api.PluginProperties;
import io.purifier.api.PurifierPlugin;
import io.purifier.api.attack.Attack;
import io.purifier.api.attack.PoisonedData;
import io.purifier.api.attack.PreviewImage;
import io.purifier.api.data.DatasetSplits;
import io.purifier.api.data.ImageSet;
import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ParamSpec;
import io.purifier.api.param.ResolvedParams;
import io.purifier.api.run.RunContext;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.osgi.service.component.annotations.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Sets the bottom-right pixel to 1 and relabels to the target; a minimal dirty-label attack for host tests. */
@Component(service = Attack.class)
@PurifierPlugin(id = "sample-corner", kind = PluginProperties.KIND_ATTACK)
public final class SampleCornerAttack implements Attack {

    private static final ParamDescriptor PARAMS = ParamDescriptor.of(
            ParamSpec.integer("targetLabel", 0, 0, 1000, "Backdoor target class."),
            ParamSpec.real("poisonRatio", 0.1, 0.001, 1, "Fraction of training images poisoned."));

    @Override
    public String id() {
        return "sample-corner";
    }

    @Override
    public String name() {
        return "Sample corner pixel (test attack)";
    }

    @Override
    public String description() {
        return "Sets the bottom-right pixel to white and relabels, for tests of the host.";
    }

    @Override
    public ParamDescriptor parameters() {
        return PARAMS;
    }

    @Override
    public PoisonedData poison(DatasetSplits data, ResolvedParams params, RunContext ctx) {
        int target = params.integer("targetLabel");
        if (target >= data.train().numClasses()) {
            throw new InvalidInputException("targetLabel " + target + " is outside the " + data.train().numClasses() + " classes");
        }
        ImageSet train = data.train();
        INDArray images = train.images().dup();
        int[] labels = train.labels();
        Random rng = ctx.newRandom();
        int count = (int) Math.round(params.real("poisonRatio") * train.size());
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < train.size(); i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, rng);
        int[] poisoned = new int[count];
        for (int i = 0; i < count; i++) {
            int idx = order.get(i);
            poisoned[i] = idx;
            stamp(images, idx);
            labels[idx] = target;
        }
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < data.test().size(); i++) {
            if (data.test().label(i) != target) {
                keep.add(i);
            }
        }
        ImageSet testSubset = data.test().subset(keep.stream().mapToInt(Integer::intValue).toArray());
        INDArray testImages = testSubset.images().dup();
        for (int i = 0; i < testSubset.size(); i++) {
            stamp(testImages, i);
        }
        int[] targets = new int[testSubset.size()];
        java.util.Arrays.fill(targets, target);
        ctx.log("poisoned " + count + " training images");
        return new PoisonedData(new ImageSet(images, labels, train.classNames()), poisoned,
                new ImageSet(testImages, testSubset.labels(), train.classNames()), targets, null,
                List.of(new PreviewImage("clean sample", train.images().slice(0).dup()),
                        new PreviewImage("poisoned sample", testImages.slice(0).dup())));
    }

    private static void stamp(INDArray images, int i) {
        long h = images.size(2);
        long w = images.size(3);
        for (long c = 0; c < images.size(1); c++) {
            images.putScalar(new long[]{i, c, h - 1, w - 1}, 1.0);
        }
    }
}
