package io.purifier.defense.wiper;

import io.purifier.api.param.InvalidParametersException;
import io.purifier.api.param.ParamProblem;

import java.util.Arrays;
import java.util.List;

/**
 * Which elements of a purifying layer the penalty selects, given their benign salience {@code S} and a count
 * {@code k}. Ties at the threshold are all selected, as in the reference code ({@code mask = S >= kth value}).
 *
 * <ul>
 *   <li>{@link #HIGHEST_SALIENCE}: the {@code k} largest {@code S} (the reference code's {@code topk}). By the
 *       first-order Taylor argument these are the weights whose removal would raise the clean loss most.</li>
 *   <li>{@link #LOWEST_ABS_SALIENCE}: the {@code k} smallest {@code |S|}, the weights that matter least to the
 *       clean task, as the paper's wording ("purify the neurons with low benign salience") suggests.</li>
 * </ul>
 */
enum SelectionRule {

    /** The k largest salience values (reference code). */
    HIGHEST_SALIENCE("highest-salience"),
    /** The k smallest absolute salience values (paper wording). */
    LOWEST_ABS_SALIENCE("lowest-abs-salience");

    /** The ids, in display order. */
    static final List<String> CHOICES = Arrays.stream(values()).map(r -> r.id).toList();

    private final String id;

    SelectionRule(String id) {
        this.id = id;
    }

    /** The parameter value. */
    String id() {
        return id;
    }

    /**
     * The rule with {@code id}.
     *
     * @throws InvalidParametersException naming {@code selection} when unknown
     */
    static SelectionRule fromId(String id) {
        for (SelectionRule r : values()) {
            if (r.id.equals(id)) {
                return r;
            }
        }
        throw new InvalidParametersException(List.of(new ParamProblem("selection", id, "must be one of " + CHOICES)));
    }

    /**
     * The selection mask.
     *
     * @param salience the salience of every element
     * @param k        how many to select (0 selects nothing; {@code >= length} selects everything)
     * @return true for selected elements; more than {@code k} when values tie at the threshold
     */
    boolean[] select(double[] salience, int k) {
        int n = salience.length;
        boolean[] mask = new boolean[n];
        if (k <= 0 || n == 0) {
            return mask;
        }
        double[] key = new double[n];
        for (int i = 0; i < n; i++) {
            // Both rules become "the k largest keys": S itself, or -|S|.
            key[i] = this == HIGHEST_SALIENCE ? salience[i] : -Math.abs(salience[i]);
        }
        double[] sorted = key.clone();
        Arrays.sort(sorted);
        double threshold = sorted[n - Math.min(k, n)];
        for (int i = 0; i < n; i++) {
            mask[i] = key[i] >= threshold;
        }
        return mask;
    }
}
