package io.purifier.defense.nc;

import io.purifier.api.data.ImageSet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Neural Cleanse's unlearning data, as BackdoorBench builds it: the clean images in a seeded random order; the first
 * {@code floor(n (1 - ratio))} stay clean, the others are stamped with each flagged class's trigger in turn (one
 * stamped copy per trigger), all under their true labels. Training on it teaches the model that the recovered
 * trigger means nothing.
 */
final class UnlearningSet {

    private UnlearningSet() {
    }

    /**
     * Builds the set.
     *
     * @param data     the clean labeled images
     * @param triggers the flagged classes' triggers (at least one)
     * @param ratio    the share to stamp
     * @param rng      the order
     */
    static ImageSet build(ImageSet data, List<Trigger> triggers, double ratio, Random rng) {
        int n = data.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int clean = (int) (n * (1 - ratio));
        ImageSet kept = data.subset(Arrays.copyOfRange(order, 0, clean));
        ImageSet toStamp = data.subset(Arrays.copyOfRange(order, clean, n));
        List<INDArray> parts = new ArrayList<>();
        List<int[]> labels = new ArrayList<>();
        parts.add(kept.images());
        labels.add(kept.labels());
        if (toStamp.size() > 0) {
            for (Trigger t : triggers) {
                parts.add(t.stamp(toStamp.images()));
                labels.add(toStamp.labels());
            }
        }
        int total = labels.stream().mapToInt(l -> l.length).sum();
        int[] all = new int[total];
        int at = 0;
        for (int[] l : labels) {
            System.arraycopy(l, 0, all, at, l.length);
            at += l.length;
        }
        List<INDArray> nonEmpty = parts.stream().filter(p -> p.size(0) > 0).toList();
        INDArray images = nonEmpty.size() == 1 ? nonEmpty.get(0) : Nd4j.concat(0, nonEmpty.toArray(INDArray[]::new));
        return new ImageSet(images, all, data.classNames());
    }
}
