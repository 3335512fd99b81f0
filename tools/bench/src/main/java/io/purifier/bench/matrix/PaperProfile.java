package io.purifier.bench.matrix;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The paper profile of the benchmark matrix ({@code purifier-bench matrix --profile paper}, issue 19): the papers'
 * setting on our data, with BackdoorBench's training recipe and the defenses' reference schedules. See
 * docs/benchmarks.md, "Paper profile".
 */
public final class PaperProfile {

    private PaperProfile() {
    }

    /**
     * BackdoorBench's training recipe for its attacked models ({@code config/attack/prototype/cifar10.yaml} of
     * SCLBD/BackdoorBench, which every attack script loads under its own {@code config/attack/<attack>/default.yaml}):
     * {@code client_optimizer: sgd}, {@code lr: 0.01}, {@code sgd_momentum: 0.9}, {@code wd: 0.0005},
     * {@code lr_scheduler: CosineAnnealingLR} (stepped per epoch, {@code T_max} 100 = the epochs, to 0 after the last:
     * the zoo trainer's {@code cosine}), {@code epochs: 100}, {@code batch_size: 128}, and the train transform of
     * {@code utils/aggregate_block/dataset_and_transform_generate.py} (random crop after 4 pixels of padding, horizontal
     * flip for CIFAR-10). What the zoo trainer cannot express: the augmentation is the dataset's own ({@code augment}
     * on: Fashion-MNIST's random crop after <em>2</em> pixels of padding on its 28-pixel images, with horizontal flip;
     * the padding is not a training parameter); and WaNet's extra crop 5 and rotation 10 after warping (its noise-mode
     * samples are the attack bundle's training hook; see bundles/attack-wanet/README.md). WaNet's own schedule is
     * {@link #ATTACK_TRAINING}.
     */
    public static Map<String, Object> backdoorBenchRecipe() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("epochs", 100);
        r.put("optimizer", "sgd");
        r.put("learningRate", 0.01);
        r.put("momentum", 0.9);
        r.put("weightDecay", 0.0005);
        r.put("schedule", "cosine");
        r.put("batchSize", 128);
        r.put("augment", true);
        return r;
    }

    /**
     * Where BackdoorBench's attack configs replace the recipe of {@link #backdoorBenchRecipe}: WaNet's
     * {@code config/attack/wanet/default.yaml} (which takes precedence over the prototype) sets {@code MultiStepLR} with
     * milestones 100–400 and gamma 0.1, so over its 100 epochs the rate stays at 0.01: the zoo trainer's
     * {@code constant}. BadNets', Blended's and SIG's configs set no training parameter.
     */
    public static final Map<String, Map<String, Object>> ATTACK_TRAINING = Map.of(
            "wanet", Map.of("schedule", "constant"));

    /**
     * The reference schedules of the installed defenses whose default schedule is a shorter CPU-sized one, from
     * BackdoorBench's {@code config/defense/<defense>/cifar10.yaml} (each defense's README names it): NPD 50 main
     * epochs, BCU 100 distillation epochs (the reference code's), FT, FP, FT-SAM, FST and NC's unlearning 100 epochs, SAU
     * 100 rounds. The other defenses' defaults already are their reference schedule (ANP 2,000 iterations, I-BAU 5
     * rounds, NAD 10 + 10 epochs, NC 80 search epochs, NPD 5 warm-up epochs, CLP none); WIPER (not in BackdoorBench) and
     * any defense not listed here run with their defaults.
     */
    public static final Map<String, Map<String, Object>> REFERENCE_SCHEDULES = Map.of(
            "npd", Map.of("epochs", 50),
            "bcu", Map.of("epochs", 100),
            "ft", Map.of("epochs", 100),
            "fp", Map.of("epochs", 100),
            "ft-sam", Map.of("epochs", 100),
            "fst", Map.of("epochs", 100),
            "nc", Map.of("epochs", 100),
            "sau", Map.of("epochs", 100));

    /**
     * The time limit of every step of the profile's cells: 7 days, the most a pipeline may ask for. An attacked model
     * trains for about 5 to 20 hours on 2 cores (docs/benchmarks.md, "Paper profile"), longer than an installation's
     * default limit (6 hours); a run stopped anyway resumes from its training checkpoint when the part runs again.
     */
    public static final int STEP_TIMEOUT_SECONDS = 7 * 24 * 3600;

    /** The epochs of the {@linkplain #check check profile}'s attacked models and its cap on every defense schedule. */
    public static final int CHECK_EPOCHS = 1;

    /** The clean accuracy the paper profile's undefended models must reach (issue 19). */
    public static final double MIN_CLEAN_ACCURACY = 0.92;

    /**
     * The papers' setting on our data: PreAct-ResNet-18 at width 0.5 on all 60,000 training and 10,000 test images of
     * Fashion-MNIST, trained with {@link #backdoorBenchRecipe BackdoorBench's recipe} (100 epochs; WaNet's model with its
     * own constant rate, {@link #ATTACK_TRAINING}), the attacks at their
     * defaults, every defense at its reference schedule ({@link #REFERENCE_SCHEDULES}, no short-schedule cap), 5 %
     * labeled clean data and the 10 % unlabeled data of the other plans; undefended models must reach
     * {@value #MIN_CLEAN_ACCURACY} clean accuracy. Hours per attacked model on 2 cores: run it in parts
     * ({@code --attacks}, {@code --defenses}) and with {@code --seeds 3}; see docs/benchmarks.md, "Paper profile".
     */
    public static BenchPlan plan(List<String> attacks, List<DefenseSetup> defenses) {
        return new BenchPlan("paper", 1, "fashion-mnist", List.of(model(backdoorBenchRecipe(), 0)),
                attacks, defenses, 0.05, 0.10, 1, false, REFERENCE_SCHEDULES, MIN_CLEAN_ACCURACY, STEP_TIMEOUT_SECONDS);
    }

    /**
     * The paper profile's check ({@code --profile paper-check}): its model, data, attacks, defense columns and data
     * fractions, with {@value #CHECK_EPOCHS} epoch everywhere, so that every cell runs in minutes: the attacked models
     * train {@value #CHECK_EPOCHS} epoch of {@link #backdoorBenchRecipe BackdoorBench's recipe}, and every defense
     * schedule is capped as in the short profiles ({@link ShortSchedule}: each epoch count at {@value #CHECK_EPOCHS},
     * ANP's iterations at {@value ShortSchedule#ITERATIONS_PER_EPOCH}). It answers, in about 1.5 hours per attack, what
     * the paper profile cannot before it has run for days: that every cell runs on this installation (memory, data,
     * parameters), and what one epoch of each costs at this size, from which the profile's time is extrapolated
     * (docs/benchmarks.md, "Paper profile"). Its accuracies are those of 1-epoch models, so it has no clean-accuracy
     * minimum; its pipelines differ from the profile's, so neither takes the other's cells or attacked models.
     */
    public static BenchPlan check(List<String> attacks, List<DefenseSetup> defenses) {
        Map<String, Object> recipe = backdoorBenchRecipe();
        recipe.put("epochs", CHECK_EPOCHS);
        return new BenchPlan("paper-check", 1, "fashion-mnist", List.of(model(recipe, CHECK_EPOCHS)),
                attacks, defenses, 0.05, 0.10, 1, false, REFERENCE_SCHEDULES, 0, 0);
    }

    /**
     * The profile's model: PreAct-ResNet-18 at width 0.5 on all images, trained with {@code training} (WaNet's with
     * {@link #ATTACK_TRAINING}), every defense schedule capped at {@code defenseEpochs} (0 = not capped).
     */
    private static BenchPlan.ModelRecipe model(Map<String, Object> training, int defenseEpochs) {
        return new BenchPlan.ModelRecipe("preact-resnet18-w0.5", "preact-resnet18", Map.of("widthMultiplier", 0.5),
                training, 0, 0, defenseEpochs, ATTACK_TRAINING);
    }
}
