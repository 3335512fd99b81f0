package io.purifier.bench.matrix;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a benchmark matrix runs: models × attacks × (no defense + defenses) on one dataset with fixed seeds.
 * Every cell is an ordinary pipeline, so results land in the run history and attacked models come from the
 * attack-once cache.
 *
 * @param name              the matrix name ({@code full}, {@code quick} or {@code paper}); part of every run's name
 * @param seed              the pipeline seed of every cell
 * @param datasetId         the dataset plugin
 * @param models            model recipes (each with its data sizes and defense epochs)
 * @param attacks           attack ids (every installed attack, as {@code GET /api/components?kind=attack} lists them)
 * @param defenses          the defense columns (the undefended column is added automatically)
 * @param labeledFraction   fraction of clean labeled data for labeled-data defenses
 * @param unlabeledFraction fraction held out as unlabeled data for unlabeled-data defenses
 * @param seeds             how many seeds every cell runs with: the plan's {@code seed}, {@code seed + 1}, ...
 * @param robustness        whether every cell measures post-purification robustness (the pipeline member
 *                          {@code robustness.retune} with its defaults), which adds P-ASR next to ASR
 * @param defenseSchedules  defense id → parameter values that every column of that defense runs with (the paper
 *                          profile's reference schedules, {@link #REFERENCE_SCHEDULES}); empty for the other plans
 * @param minCleanAccuracy  the clean accuracy (a fraction) every undefended model of the plan should reach; the tables
 *                          flag an undefended cell below it; 0 = no minimum
 */
public record BenchPlan(String name, long seed, String datasetId, List<ModelRecipe> models, List<String> attacks,
                        List<DefenseSetup> defenses, double labeledFraction, double unlabeledFraction, int seeds,
                        boolean robustness, Map<String, Map<String, Object>> defenseSchedules, double minCleanAccuracy) {

    /** The metric plugins every cell evaluates; their values are the columns of the tables. */
    public static final List<String> METRICS = List.of("c-acc", "asr", "ra", "der");

    /** The profiles {@code purifier-bench matrix --profile} offers, the default first. */
    public static final List<String> PROFILES = List.of("full", "quick", "paper");

    /** Checks the number of seeds and the clean-accuracy minimum; copies the schedules. */
    public BenchPlan {
        if (seeds < 1) {
            throw new IllegalArgumentException("a plan runs every cell with at least one seed, not " + seeds);
        }
        if (!(minCleanAccuracy >= 0 && minCleanAccuracy <= 1)) {
            throw new IllegalArgumentException("a plan's minimum clean accuracy is a fraction from 0 to 1, not "
                    + minCleanAccuracy);
        }
        defenseSchedules = Map.copyOf(defenseSchedules);
    }

    /** A plan with one seed, without the robustness measurement, schedules of its own or a clean-accuracy minimum. */
    public BenchPlan(String name, long seed, String datasetId, List<ModelRecipe> models, List<String> attacks,
                     List<DefenseSetup> defenses, double labeledFraction, double unlabeledFraction) {
        this(name, seed, datasetId, models, attacks, defenses, labeledFraction, unlabeledFraction, 1, false, Map.of(), 0);
    }

    /** This plan with every cell run for {@code n} seeds. */
    public BenchPlan withSeeds(int n) {
        return new BenchPlan(name, seed, datasetId, models, attacks, defenses, labeledFraction, unlabeledFraction, n,
                robustness, defenseSchedules, minCleanAccuracy);
    }

    /** This plan with the robustness measurement on or off. */
    public BenchPlan withRobustness(boolean on) {
        return new BenchPlan(name, seed, datasetId, models, attacks, defenses, labeledFraction, unlabeledFraction, seeds,
                on, defenseSchedules, minCleanAccuracy);
    }

    /**
     * The plan of a profile.
     *
     * @param profile one of {@link #PROFILES}
     * @throws IllegalArgumentException naming the choices when {@code profile} is not one of them
     */
    public static BenchPlan of(String profile, List<String> attacks, List<DefenseSetup> defenses) {
        return switch (profile) {
            case "full" -> full(attacks, defenses);
            case "quick" -> quick(attacks, defenses);
            case "paper" -> paper(attacks, defenses);
            default -> throw new IllegalArgumentException(unknownProfile(profile));
        };
    }

    /** The message for a profile that does not exist. */
    static String unknownProfile(String profile) {
        return "unknown profile '" + profile + "' for --profile; the profiles are " + String.join(", ", PROFILES);
    }

    /**
     * The training recipe of every benchmark model (and of {@code conf/pipelines/bench/*.json}): Adam at 1e-3,
     * no weight decay, cosine schedule, no augmentation. Short CPU runs learn far more with Adam than with the
     * zoo's default SGD 0.01, and augmentation (crop, flip) slows how fast a 2-epoch model picks up a trigger.
     *
     * @param epochs passes over the training set
     */
    public static Map<String, Object> recipe(int epochs) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("epochs", epochs);
        r.put("optimizer", "adam");
        r.put("learningRate", 0.001);
        r.put("weightDecay", 0);
        r.put("augment", false);
        return r;
    }

    /**
     * A model recipe.
     *
     * @param label        the label in tables
     * @param architecture the zoo architecture id
     * @param archParams   its parameters
     * @param training     training parameters
     * @param trainSize     training images (0 = all)
     * @param testSize      test images (0 = all)
     * @param defenseEpochs when positive, caps the schedule of every defense ({@link #shortSchedule}): its epoch counts at
     *                      this, its iteration count at {@value #ITERATIONS_PER_SHORT_EPOCH} times this
     * @param attackTraining attack id → training parameters that replace those of {@code training} for that attack's
     *                       models (the paper profile: WaNet's constant learning rate); empty for the other plans
     */
    public record ModelRecipe(String label, String architecture, Map<String, Object> archParams, Map<String, Object> training,
                              int trainSize, int testSize, int defenseEpochs,
                              @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Map<String, Object>> attackTraining) {

        /** Copies the per-attack training parameters. */
        public ModelRecipe {
            attackTraining = Map.copyOf(attackTraining);
        }

        /** A recipe that trains every attack's model alike. */
        public ModelRecipe(String label, String architecture, Map<String, Object> archParams, Map<String, Object> training,
                           int trainSize, int testSize, int defenseEpochs) {
            this(label, architecture, archParams, training, trainSize, testSize, defenseEpochs, Map.of());
        }

        /** The training parameters of {@code attack}'s model: {@code training} with the attack's replacements. */
        public Map<String, Object> trainingFor(String attack) {
            Map<String, Object> out = new LinkedHashMap<>(training);
            out.putAll(attackTraining.getOrDefault(attack, Map.of()));
            return out;
        }
    }

    /**
     * The full matrix on Fashion-MNIST, sized for about 90 minutes on 2 cores: the small CNN on 30,000 training
     * images for 10 epochs (2 epochs leave SIG and WaNet far below their usual success rates), all 10,000 test
     * images, defenses with their default parameters (the recipe of {@code conf/pipelines/bench/*.json}, so
     * attacked models are shared with those); PreAct-ResNet-18 at width 1/8 on 6,000 training images for 2
     * epochs, 2,000 test images, defenses on a short schedule (epoch counts at most 2, ANP 200 iterations; a ResNet
     * step costs about 10× a small-CNN step on this CPU).
     */
    public static BenchPlan full(List<String> attacks, List<DefenseSetup> defenses) {
        return new BenchPlan("full", 1, "fashion-mnist", List.of(
                new ModelRecipe("small-cnn", "small-cnn", Map.of(), recipe(10), 30_000, 0, 0),
                new ModelRecipe("preact-resnet18-w0.125", "preact-resnet18", Map.of("widthMultiplier", 0.125),
                        recipe(2), 6_000, 2_000, 2)),
                attacks, defenses, 0.05, 0.10);
    }

    /**
     * The quick matrix: 6,000 training / 1,000 test images, the small CNN for 2 epochs, defenses on a short schedule
     * ({@link #shortSchedule}: every epoch count at most 2, ANP at most 200 iterations).
     */
    public static BenchPlan quick(List<String> attacks, List<DefenseSetup> defenses) {
        return new BenchPlan("quick", 1, "fashion-mnist", List.of(
                new ModelRecipe("small-cnn", "small-cnn", Map.of(), recipe(2), 6_000, 1_000, 2)),
                attacks, defenses, 0.05, 0.10);
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
     * {@link #BACKDOORBENCH_ATTACK_TRAINING}.
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
    public static final Map<String, Map<String, Object>> BACKDOORBENCH_ATTACK_TRAINING = Map.of(
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

    /** The clean accuracy the paper profile's undefended models must reach (issue 19). */
    public static final double PAPER_MIN_CLEAN_ACCURACY = 0.92;

    /**
     * The papers' setting on our data: PreAct-ResNet-18 at width 0.5 on all 60,000 training and 10,000 test images of
     * Fashion-MNIST, trained with {@link #backdoorBenchRecipe BackdoorBench's recipe} (100 epochs; WaNet's model with its
     * own constant rate, {@link #BACKDOORBENCH_ATTACK_TRAINING}), the attacks at their
     * defaults, every defense at its reference schedule ({@link #REFERENCE_SCHEDULES}, no short-schedule cap), 5 %
     * labeled clean data and the 10 % unlabeled data of the other plans; undefended models must reach
     * {@value #PAPER_MIN_CLEAN_ACCURACY} clean accuracy. Hours per attacked model on 2 cores: run it in parts
     * ({@code --attacks}, {@code --defenses}) and with {@code --seeds 3}; see docs/benchmarks.md, "Paper profile".
     */
    public static BenchPlan paper(List<String> attacks, List<DefenseSetup> defenses) {
        return new BenchPlan("paper", 1, "fashion-mnist", List.of(
                new ModelRecipe("preact-resnet18-w0.5", "preact-resnet18", Map.of("widthMultiplier", 0.5),
                        backdoorBenchRecipe(), 0, 0, 0, BACKDOORBENCH_ATTACK_TRAINING)),
                attacks, defenses, 0.05, 0.10, 1, false, REFERENCE_SCHEDULES, PAPER_MIN_CLEAN_ACCURACY);
    }

    /**
     * Every cell, seed by seed (the whole matrix for the first seed before the next, so an interrupted run has complete
     * tables for its first seeds), then model by model, attack by attack, the undefended cell first.
     */
    public List<BenchCell> cells() {
        List<BenchCell> out = new ArrayList<>();
        for (int k = 0; k < seeds; k++) {
            for (ModelRecipe m : models) {
                for (String a : attacks) {
                    out.add(new BenchCell(m.label(), a, BenchCell.NO_DEFENSE, k));
                    for (DefenseSetup d : defenses) {
                        out.add(new BenchCell(m.label(), a, d.label(), k));
                    }
                }
            }
        }
        return out;
    }

    /** The pipeline seed of a cell: the plan's seed plus the cell's seed index. */
    public long seedOf(BenchCell cell) {
        return seed + cell.seedIndex();
    }

    /**
     * The run name of a cell: {@code bench[<plan>] <model>/<attack>/<defense>}, with {@code  seed <s>} appended for
     * every seed after the plan's first (so the first seed keeps the name of single-seed matrices, whose runs a
     * multi-seed matrix resumes from).
     */
    public String runName(BenchCell cell) {
        return "bench[" + name + "] " + cell.label() + (cell.seedIndex() == 0 ? "" : " seed " + seedOf(cell));
    }

    /**
     * The pipeline JSON of a cell.
     *
     * @param cell     the cell
     * @param defenses defense id → the installed defense (its data contract, whether it has an {@code epochs}
     *                 parameter)
     * @throws IllegalArgumentException when the cell's model or defense column is not in this plan
     */
    public ObjectNode pipeline(ObjectMapper json, BenchCell cell, Map<String, InstalledDefense> defenses) {
        ModelRecipe recipe = models.stream().filter(m -> m.label().equals(cell.model())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no model recipe labelled " + cell.model()));
        ObjectNode p = json.createObjectNode();
        p.put("name", runName(cell));
        p.put("seed", seedOf(cell));
        ObjectNode dataParams = p.putObject("dataset").put("id", datasetId).putObject("params");
        dataParams.put("trainSize", recipe.trainSize());
        dataParams.put("testSize", recipe.testSize());
        ObjectNode model = p.putObject("model").put("source", "train");
        model.putObject("architecture").put("id", recipe.architecture()).set("params", json.valueToTree(recipe.archParams()));
        model.set("training", json.valueToTree(recipe.trainingFor(cell.attack())));
        p.putObject("attack").put("id", cell.attack());
        if (!cell.defense().equals(BenchCell.NO_DEFENSE)) {
            DefenseSetup setup = this.defenses.stream().filter(s -> s.label().equals(cell.defense())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no defense column labelled " + cell.defense()));
            ObjectNode d = p.putArray("defenses").addObject();
            d.put("id", setup.defenseId());
            InstalledDefense defense = defenses.get(setup.defenseId());
            Map<String, Object> overrides = new LinkedHashMap<>();
            // the plan's schedule for the defense, as far as the installed version has those parameters
            new TreeMap<>(defenseSchedules.getOrDefault(setup.defenseId(), Map.of())).forEach((k, v) -> {
                if (defense == null || defense.parameters().contains(k)) {
                    overrides.put(k, v);
                }
            });
            overrides.putAll(setup.params());
            if (recipe.defenseEpochs() > 0 && defense != null) {
                shortSchedule(defense, recipe.defenseEpochs()).forEach(overrides::put);
            }
            d.set("params", json.valueToTree(overrides));
            if (defense != null && defense.takesData()) {
                ObjectNode data = d.putObject("data");
                data.put("fraction", defense.takesUnlabeledData() ? unlabeledFraction : labeledFraction);
                if (setup.oodDataset() != null) {
                    data.set("dataset", json.valueToTree(setup.oodDataset()));
                }
            }
        }
        ArrayNode metrics = p.putArray("metrics");
        for (String m : METRICS) {
            metrics.addObject().put("id", m);
        }
        if (robustness) {
            p.putObject("robustness").putObject("retune");
        }
        return p;
    }

    /** How many mask iterations a short schedule gives an iteration-counted defense (ANP) per defense epoch. */
    static final int ITERATIONS_PER_SHORT_EPOCH = 100;

    /**
     * The short schedule of a recipe with {@code defenseEpochs}: every epoch count of the defense ({@code epochs} and
     * every {@code ...Epochs}: warm-up, teacher, trigger search) at most {@code defenseEpochs}, and an iteration count
     * ({@code iterations}, ANP's mask optimisation) at most {@value #ITERATIONS_PER_SHORT_EPOCH} per defense epoch; a
     * default already below the cap is kept.
     */
    static Map<String, Object> shortSchedule(InstalledDefense defense, int defenseEpochs) {
        Map<String, Object> caps = new LinkedHashMap<>();
        for (String name : defense.parameters()) {
            long cap;
            if (name.equals("epochs") || name.endsWith("Epochs")) {
                cap = defenseEpochs;
            } else if (name.equals("iterations")) {
                cap = (long) defenseEpochs * ITERATIONS_PER_SHORT_EPOCH;
            } else {
                continue;
            }
            Long byDefault = defense.integerDefaults().get(name);
            caps.put(name, byDefault == null ? cap : Math.min(byDefault, cap));
        }
        return caps;
    }

    /** The plan as a map, for the JSON export's "setting". */
    public Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", name);
        out.put("seed", seed);
        out.put("dataset", datasetId);
        out.put("models", models);
        out.put("attacks", attacks);
        out.put("defenses", defenses.stream().map(DefenseSetup::label).toList());
        out.put("labeledFraction", labeledFraction);
        out.put("unlabeledFraction", unlabeledFraction);
        out.put("seeds", seeds);
        out.put("robustness", robustness ? "retune (defaults)" : "off");
        if (!defenseSchedules.isEmpty()) {
            out.put("defenseSchedules", new TreeMap<>(defenseSchedules));
        }
        if (minCleanAccuracy > 0) {
            out.put("minCleanAccuracy", minCleanAccuracy);
        }
        return out;
    }
}
