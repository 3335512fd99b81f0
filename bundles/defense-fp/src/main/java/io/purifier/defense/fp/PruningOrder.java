package io.purifier.defense.fp;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Fine-Pruning's order and steps: channels sorted by their mean clean activation, least active first (ties by
 * channel index, so the order is reproducible), and the pruning counts tried, {@code 0, s, 2s, ...} below the number
 * of channels with {@code s = ceil(channels * oncePruneRatio)} (BackdoorBench's {@code range(0, C, ceil(C * r))}).
 */
final class PruningOrder {

    private PruningOrder() {
    }

    /** Channel indices by increasing mean activation. */
    static int[] ascending(double[] meanActivation) {
        List<Integer> idx = new ArrayList<>();
        for (int c = 0; c < meanActivation.length; c++) {
            idx.add(c);
        }
        idx.sort(Comparator.<Integer>comparingDouble(c -> meanActivation[c]).thenComparingInt(c -> c));
        return idx.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The step {@code ceil(channels * ratio)}, at least 1. */
    static int step(int channels, double ratio) {
        return Math.max(1, (int) Math.ceil(channels * ratio - 1e-9));
    }

    /** The counts tried: {@code 0, step, 2 step, ...} while below {@code channels}. */
    static int[] counts(int channels, double ratio) {
        int s = step(channels, ratio);
        List<Integer> out = new ArrayList<>();
        for (int k = 0; k < channels; k += s) {
            out.add(k);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Whether an accuracy is within the tolerance: {@code |acc - acc0| / acc0 < ratio} (an unpruned accuracy of 0
     * tolerates nothing).
     */
    static boolean withinTolerance(double accuracy, double unprunedAccuracy, double ratio) {
        if (unprunedAccuracy <= 0) {
            return false;
        }
        return Math.abs(accuracy - unprunedAccuracy) / unprunedAccuracy < ratio;
    }

    /** The keep-mask after pruning the first {@code count} channels of {@code order} from {@code keep}. */
    static boolean[] keepAfter(boolean[] keep, int[] order, int count) {
        boolean[] out = keep.clone();
        for (int i = 0; i < count; i++) {
            out[order[i]] = false;
        }
        return out;
    }
}
