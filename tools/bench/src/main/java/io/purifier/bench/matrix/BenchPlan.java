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
 * <p>Length: the plan is a record whose every field shapes the pipeline JSON of a cell ({@link #pipeline}), and the
 * profiles are its factories; splitting the pipeline builder out would pass nearly all of its fields across, so the record
 * keeps them together, just above 300 lines. The paper profile's own recipe and schedules already live in
 * {@link PaperProfile}, the short schedules in {@link ShortSchedule}.</p>
 *
 * @param name              the matrix name ({@code full}, {@code quick}, {@code paper} or {@code paper-check}); part
 *                          of every run's name
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
 *                          profile's reference schedules, {@link PaperProfile#REFERENCE_SCHEDULES}); empty for the other plans
 * @param minCleanAccuracy  the clean accuracy (a fraction) every undefended model of the plan should reach; the tables
 *                          flag an undefended cell below it; 0 = no minimum
 * @param stepTimeoutSeconds the time limit of every step of every cell ({@code limits.stepTimeoutSeconds}); 0 = the
 *                          server's default ({@code runs.stepTimeoutSeconds})
 */
public record BenchPlan(String name, long seed, String datasetId, List<ModelRecipe> models, List<String> attacks,
                        List<DefenseSetup> defenses, double labeledFraction, double unlabeledFraction, int seeds,
                        boolean robustness, Map<String, Map<String, Object>> defenseSchedules, double minCleanAccuracy,
                        int stepTimeoutSeconds) {

    /** The metric plugins every cell evaluates; their values are the columns of the tables. */
    public static final List<String> METRICS = List.of("c-acc", "asr", "ra", "der");

    /** The profiles {@code purifier-bench matrix --profile} offers, the default first. */
    public static final List<String> PROFILES = List.of("full", "quick", "paper", "paper-check");

    /** Checks the number of seeds and the clean-accuracy minimum; copies the schedules. */
    public BenchPlan {
        if (seeds < 1) {
            throw new IllegalArgumentException("a plan runs every cell with at least one seed, not " + seeds);
        }
        if (!(minCleanAccuracy >= 0 && minCleanAccuracy <= 1)) {
            throw new IllegalArgumentException("a plan's minimum clean accuracy is a fraction from 0 to 1, not "
                    + minCleanAccuracy);
        }
        if (stepTimeoutSeconds < 0) {
            throw new IllegalArgumentException("a plan's step time limit is 0 (the server's) or positive, not "
                    + stepTimeoutSeconds);
        }
        defenseSchedules = Map.copyOf(defenseSchedules);
    }

    /**
     * A plan with one seed, without the robustness measurement, schedules of its own, a clean-accuracy minimum or a step
     * time limit of its own.
     */
    public BenchPlan(String name, long seed, String datasetId, List<ModelRecipe> models, List<String> attacks,
                     List<DefenseSetup> defenses, double labeledFraction, double unlabeledFraction) {
        this(name, seed, datasetId, models, attacks, defenses, labeledFraction, unlabeledFraction, 1, false, Map.of(), 0, 0);
    }

    /** This plan with every cell run for {@code n} seeds. */
    public BenchPlan withSeeds(int n) {
        return new BenchPlan(name, seed, datasetId, models, attacks, defenses, labeledFraction, unlabeledFraction, n,
                robustness, defenseSchedules, minCleanAccuracy, stepTimeoutSeconds);
    }

    /** This plan with the robustness measurement on or off. */
    public BenchPlan withRobustness(boolean on) {
        return new BenchPlan(name, seed, datasetId, models, attacks, defenses, labeledFraction, unlabeledFraction, seeds,
                on, defenseSchedules, minCleanAccuracy, stepTimeoutSeconds);
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
            case "paper-check" -> PaperProfile.check(attacks, defenses);
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
     * @param defenseEpochs when positive, caps the schedule of every defense ({@link ShortSchedule}): its epoch counts at
     *                      this, its iteration count at {@value ShortSchedule#ITERATIONS_PER_EPOCH} times this
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
     * ({@link ShortSchedule}: every epoch count at most 2, ANP at most 200 iterations).
     */
    public static BenchPlan quick(List<String> attacks, List<DefenseSetup> defenses) {
        return new BenchPlan("quick", 1, "fashion-mnist", List.of(
                new ModelRecipe("small-cnn", "small-cnn", Map.of(), recipe(2), 6_000, 1_000, 2)),
                attacks, defenses, 0.05, 0.10);
    }

    /** The papers' setting on our data: {@link PaperProfile#plan}. */
    public static BenchPlan paper(List<String> attacks, List<DefenseSetup> defenses) {
        return PaperProfile.plan(attacks, defenses);
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
                ShortSchedule.of(defense, recipe.defenseEpochs()).forEach(overrides::put);
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
        if (stepTimeoutSeconds > 0) {
            p.putObject("limits").put("stepTimeoutSeconds", stepTimeoutSeconds);
        }
        return p;
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
        if (stepTimeoutSeconds > 0) {
            out.put("stepTimeoutSeconds", stepTimeoutSeconds);
        }
        return out;
    }
}
