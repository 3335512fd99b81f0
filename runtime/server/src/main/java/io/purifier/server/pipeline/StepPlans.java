package io.purifier.server.pipeline;

import io.purifier.server.store.RunRecords.StepPlan;

import java.util.ArrayList;
import java.util.List;

/** The steps a pipeline runs, in order: dataset, attack (optional), model, then one per defense. */
public final class StepPlans {

    /** The kind of the step that loads the dataset (always step 0). */
    public static final String DATASET = "dataset";
    /** The kind of the step that poisons the data (step 1 when the pipeline has an attack). */
    public static final String ATTACK = "attack";
    /** The kind of the step that trains or loads the model and evaluates it. */
    public static final String MODEL = "model";
    /** The kind of a defense step. */
    public static final String DEFENSE = "defense";

    private StepPlans() {
    }

    /** The steps of {@code p}, in order. */
    public static List<StepPlan> of(ValidatedPipeline p) {
        List<StepPlan> steps = new ArrayList<>();
        steps.add(new StepPlan(DATASET, p.dataset().id(), "load dataset " + p.dataset().id()));
        if (p.attack() != null) {
            steps.add(new StepPlan(ATTACK, p.attack().id(), "poison data with " + p.attack().id()));
        }
        if (p.model().trains()) {
            steps.add(new StepPlan(MODEL, p.model().architecture().id(), "train " + p.model().architecture().id()
                    + (p.attack() == null ? " (clean)" : " on poisoned data") + " and evaluate"));
        } else {
            steps.add(new StepPlan(MODEL, p.model().modelId(), "load model " + p.model().modelId() + " and evaluate"));
        }
        for (ValidatedPipeline.DefensePlan d : p.defenses()) {
            steps.add(new StepPlan(DEFENSE, d.defense().id(), "defend with " + d.defense().id() + " and evaluate"));
        }
        return steps;
    }

    /** Relative cost of each step, for the run's overall progress bar. */
    public static double[] weights(ValidatedPipeline p) {
        List<StepPlan> plans = of(p);
        double[] w = new double[plans.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = switch (plans.get(i).kind()) {
                case DATASET, ATTACK -> 0.05;
                case MODEL -> p.model().trains() ? 1.0 : 0.1;
                default -> 1.0;
            };
        }
        return w;
    }
}
