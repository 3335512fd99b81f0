package io.purifier.server.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.purifier.api.defense.DataContract;
import io.purifier.api.param.ParamDescriptor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a benchmark matrix runs: models × attacks × (no defense + defenses) on one dataset with fixed seeds.
 * Every cell is an ordinary pipeline, so results land in the run history and attacked models come from the
 * attack-once cache.
 *
 * @param name              the matrix name ({@code full} or {@code quick}); part of every run's name
 * @param seed              the pipeline seed of every cell
 * @param datasetId         the dataset plugin
 * @param trainSize         training images (0 = all)
 * @param testSize          test images (0 = all)
 * @param models            model recipes
 * @param attacks           attack ids
 * @param defenses          defense ids (the undefended column is added automatically)
 * @param defenseEpochs     when positive, overrides the {@code epochs} parameter of defenses that have one
 * @param labeledFraction   fraction of clean labeled data for labeled-data defenses
 * @param unlabeledFraction fraction held out as unlabeled data for unlabeled-data defenses
 */
public record BenchPlan(String name, long seed, String datasetId, int trainSize, int testSize, List<ModelRecipe> models,
                        List<String> attacks, List<String> defenses, int defenseEpochs, double labeledFraction,
                        double unlabeledFraction) {

    /** The attacks every purification paper evaluates. */
    public static final List<String> ATTACKS = List.of("badnets", "blended", "sig", "wanet");

    /**
     * A model recipe.
     *
     * @param label        the label in tables
     * @param architecture the zoo architecture id
     * @param archParams   its parameters
     * @param training     training parameters
     * @param trainSize    training images for this model (0 = the plan's)
     */
    public record ModelRecipe(String label, String architecture, Map<String, Object> archParams, Map<String, Object> training,
                              int trainSize) {
    }

    /**
     * The full matrix on Fashion-MNIST (all 10,000 test images): the small CNN on 30,000 training images for 2
     * epochs (the recipe of {@code conf/pipelines/bench/*.json}, so attacked models are shared with those), and
     * PreAct-ResNet-18 at width 1/8 on 10,000 training images for 3 epochs.
     */
    public static BenchPlan full(List<String> defenses) {
        return new BenchPlan("full", 1, "fashion-mnist", 30_000, 0, List.of(
                new ModelRecipe("small-cnn", "small-cnn", Map.of(), Map.of("epochs", 2), 0),
                new ModelRecipe("preact-resnet18-w0.125", "preact-resnet18", Map.of("widthMultiplier", 0.125),
                        Map.of("epochs", 3), 10_000)),
                ATTACKS, defenses, 0, 0.05, 0.10);
    }

    /** The quick matrix: 6,000 training / 1,000 test images, the small CNN for 2 epochs, defenses for 2 epochs. */
    public static BenchPlan quick(List<String> defenses) {
        return new BenchPlan("quick", 1, "fashion-mnist", 6_000, 1_000, List.of(
                new ModelRecipe("small-cnn", "small-cnn", Map.of(), Map.of("epochs", 2), 0)),
                ATTACKS, defenses, 2, 0.05, 0.10);
    }

    /** Every cell, model by model, attack by attack, the undefended cell first. */
    public List<BenchCell> cells() {
        List<BenchCell> out = new ArrayList<>();
        for (ModelRecipe m : models) {
            for (String a : attacks) {
                out.add(new BenchCell(m.label(), a, BenchCell.NO_DEFENSE));
                for (String d : defenses) {
                    out.add(new BenchCell(m.label(), a, d));
                }
            }
        }
        return out;
    }

    /** The run name of a cell: {@code bench[<plan>] <model>/<attack>/<defense>}. */
    public String runName(BenchCell cell) {
        return "bench[" + name + "] " + cell.label();
    }

    /**
     * The pipeline JSON of a cell.
     *
     * @param cell      the cell
     * @param contracts defense id → its data contract
     * @param params    defense id → its parameter descriptor (to know whether it has an {@code epochs} parameter)
     */
    public ObjectNode pipeline(ObjectMapper json, BenchCell cell, Map<String, DataContract> contracts,
                               Map<String, ParamDescriptor> params) {
        ModelRecipe recipe = models.stream().filter(m -> m.label().equals(cell.model())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no model recipe labelled " + cell.model()));
        ObjectNode p = json.createObjectNode();
        p.put("name", runName(cell));
        p.put("seed", seed);
        ObjectNode dataParams = p.putObject("dataset").put("id", datasetId).putObject("params");
        dataParams.put("trainSize", recipe.trainSize() > 0 ? recipe.trainSize() : trainSize);
        dataParams.put("testSize", testSize);
        ObjectNode model = p.putObject("model").put("source", "train");
        model.putObject("architecture").put("id", recipe.architecture()).set("params", json.valueToTree(recipe.archParams()));
        model.set("training", json.valueToTree(recipe.training()));
        p.putObject("attack").put("id", cell.attack());
        if (!cell.defense().equals(BenchCell.NO_DEFENSE)) {
            ObjectNode d = p.putArray("defenses").addObject();
            d.put("id", cell.defense());
            Map<String, Object> overrides = new LinkedHashMap<>();
            ParamDescriptor descriptor = params.get(cell.defense());
            if (defenseEpochs > 0 && descriptor != null && descriptor.spec("epochs") != null) {
                overrides.put("epochs", defenseEpochs);
            }
            d.set("params", json.valueToTree(overrides));
            DataContract contract = contracts.get(cell.defense());
            if (contract != null && contract.kind() != DataContract.Kind.NONE) {
                d.putObject("data").put("fraction",
                        contract.kind() == DataContract.Kind.UNLABELED ? unlabeledFraction : labeledFraction);
            }
        }
        com.fasterxml.jackson.databind.node.ArrayNode metrics = p.putArray("metrics");
        for (String m : List.of("c-acc", "asr", "ra", "der")) {
            metrics.addObject().put("id", m);
        }
        return p;
    }

    /** The plan as a map, for the JSON export's "setting". */
    public Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", name);
        out.put("seed", seed);
        out.put("dataset", datasetId);
        out.put("trainSize", trainSize == 0 ? "all" : trainSize);
        out.put("testSize", testSize == 0 ? "all" : testSize);
        out.put("models", models);
        out.put("attacks", attacks);
        out.put("defenses", defenses);
        out.put("defenseEpochs", defenseEpochs > 0 ? defenseEpochs : "defaults");
        out.put("labeledFraction", labeledFraction);
        out.put("unlabeledFraction", unlabeledFraction);
        return out;
    }
}
