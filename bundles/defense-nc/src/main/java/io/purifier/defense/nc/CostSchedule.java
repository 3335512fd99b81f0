package io.purifier.defense.nc;

/**
 * Neural Cleanse's bookkeeping over the epochs of one class's trigger search (BackdoorBench's {@code Recorder} and
 * the end of its {@code train_step}): the best trigger is the one with the smallest mean mask norm among epochs
 * whose mean attack success reaches the threshold; the weight {@code cost} of the norm term rises by
 * {@code multiplier} after {@code patience} successful epochs in a row and falls by {@code multiplier^1.5} after
 * {@code patience} failed ones (a cost of 0 that keeps succeeding is reset to its initial value); the search stops
 * early once the cost has gone both up and down and the best norm has not improved by more than
 * {@code 1 - earlyStopThreshold} for {@code earlyStopPatience} epochs.
 */
final class CostSchedule {

    /** What to do after an epoch. */
    enum Outcome {
        /** Go on. */
        CONTINUE,
        /** Stop this class's search. */
        STOP
    }

    private final double initialCost;
    private final double multiplierUp;
    private final double multiplierDown;
    private final double successThreshold;
    private final int patience;
    private final boolean earlyStop;
    private final double earlyStopThreshold;
    private final int earlyStopPatience;

    private double cost;
    private double bestNorm = Double.POSITIVE_INFINITY;
    private double earlyStopBestNorm = Double.POSITIVE_INFINITY;
    private boolean hasBest;
    private int costSetCounter;
    private int upCounter;
    private int downCounter;
    private boolean upFlag;
    private boolean downFlag;
    private int earlyStopCounter;

    /**
     * @param initialCost        starting weight of the norm term ({@code init_cost})
     * @param multiplier         cost multiplier up; down is its 1.5th power ({@code cost_multiplier})
     * @param successThreshold   mean attack success an epoch needs to count as successful (fraction)
     * @param patience           epochs in a row before the cost moves ({@code patience})
     * @param earlyStop          whether the search may stop early
     * @param earlyStopThreshold relative improvement of the best norm below which an epoch counts as no progress
     * @param earlyStopPatience  epochs without progress before stopping
     */
    CostSchedule(double initialCost, double multiplier, double successThreshold, int patience, boolean earlyStop,
                 double earlyStopThreshold, int earlyStopPatience) {
        this.initialCost = initialCost;
        this.multiplierUp = multiplier;
        this.multiplierDown = Math.pow(multiplier, 1.5);
        this.successThreshold = successThreshold;
        this.patience = patience;
        this.earlyStop = earlyStop;
        this.earlyStopThreshold = earlyStopThreshold;
        this.earlyStopPatience = earlyStopPatience;
        this.cost = initialCost;
    }

    /** The current weight of the norm term. */
    double cost() {
        return cost;
    }

    /** The best (smallest) mean norm among successful epochs so far, infinity when none succeeded. */
    double bestNorm() {
        return bestNorm;
    }

    /** Whether a trigger has been kept (a successful one, or the first epoch's as a fallback). */
    boolean hasBest() {
        return hasBest;
    }

    /**
     * Takes an epoch's means.
     *
     * @param attackSuccess mean (over batches) share of stamped images classified as the target
     * @param norm          mean (over batches) mask norm
     * @param keep          called when the current trigger becomes the kept one
     * @return whether to stop
     */
    Outcome epoch(double attackSuccess, double norm, Runnable keep) {
        boolean success = attackSuccess >= successThreshold;
        if (success && norm < bestNorm) {
            bestNorm = norm;
            hasBest = true;
            keep.run();
        }
        if (earlyStop) {
            if (bestNorm < Double.POSITIVE_INFINITY) {
                if (bestNorm >= earlyStopThreshold * earlyStopBestNorm) {
                    earlyStopCounter++;
                } else {
                    earlyStopCounter = 0;
                }
            }
            earlyStopBestNorm = Math.min(earlyStopBestNorm, bestNorm);
            if (downFlag && upFlag && earlyStopCounter >= earlyStopPatience) {
                return Outcome.STOP;
            }
        }
        if (cost == 0 && success) {
            costSetCounter++;
            if (costSetCounter >= patience) {
                cost = initialCost;
                upCounter = 0;
                downCounter = 0;
                upFlag = false;
                downFlag = false;
            }
        } else {
            costSetCounter = 0;
        }
        if (success) {
            upCounter++;
            downCounter = 0;
        } else {
            upCounter = 0;
            downCounter++;
        }
        if (upCounter >= patience) {
            upCounter = 0;
            cost *= multiplierUp;
            upFlag = true;
        } else if (downCounter >= patience) {
            downCounter = 0;
            cost /= multiplierDown;
            downFlag = true;
        }
        if (!hasBest) {
            hasBest = true;
            keep.run();
        }
        return Outcome.CONTINUE;
    }
}
