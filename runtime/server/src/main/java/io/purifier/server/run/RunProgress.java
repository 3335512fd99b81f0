package io.purifier.server.run;

/**
 * A run's overall progress from its steps' progress, each step weighted by its expected cost (see
 * {@code StepPlans.weights}): loading data and poisoning are cheap, training and defenses are not.
 */
final class RunProgress {

    private final double[] weights;
    private final double total;
    private final RunRecorder recorder;
    private double done;

    RunProgress(double[] weights, RunRecorder recorder) {
        this.weights = weights.clone();
        double sum = 0;
        for (double w : weights) {
            sum += w;
        }
        this.total = sum;
        this.recorder = recorder;
    }

    /** Reports the run's progress while {@code step} is {@code stepFraction} done. */
    void report(int step, double stepFraction) {
        recorder.runProgress(fraction(step, stepFraction), step, "step " + (step + 1) + "/" + weights.length);
    }

    /** The run's progress in [0, 1] while {@code step} is {@code stepFraction} done. */
    double fraction(int step, double stepFraction) {
        return total == 0 ? 0 : (done + weights[step] * stepFraction) / total;
    }

    /** Counts {@code step} as done. */
    void stepDone(int step) {
        done += weights[step];
    }
}
