package io.purifier.server.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.purifier.api.Plugin;
import io.purifier.api.PluginKind;
import io.purifier.api.defense.DataContract;
import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ResolvedParams;
import io.purifier.engine.robustness.RetuneConfig;
import io.purifier.server.osgi.PluginLookup;
import io.purifier.server.pipeline.ValidatedPipeline.DefensePlan;
import io.purifier.server.pipeline.ValidatedPipeline.ModelPlan;
import io.purifier.server.pipeline.ValidatedPipeline.Resolved;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A validated pipeline as JSON, for the process that executes it. The server encodes what it validated; the worker
 * decodes it against its own plugins, resolving every parameter again through its descriptors, and refuses the
 * pipeline when a value resolves differently there (the plugins differ even though their bundles look alike).
 */
public final class PipelineCodec {

    /** A plugin the pipeline needs is not (yet) registered in this process. */
    public static final class MissingPlugin extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        MissingPlugin(String message) {
            super(message);
        }
    }

    private final ObjectMapper json;

    /** @param json the JSON mapper */
    public PipelineCodec(ObjectMapper json) {
        this.json = json;
    }

    /** {@code p} as JSON. */
    public ObjectNode encode(ValidatedPipeline p) {
        ObjectNode out = json.createObjectNode();
        out.put("name", p.name());
        out.put("seed", p.seed());
        out.put("stepTimeoutSeconds", p.stepTimeout().toSeconds());
        out.set("dataset", resolved(p.dataset()));
        ObjectNode model = out.putObject("model");
        model.put("source", p.model().source());
        if (p.model().trains()) {
            model.set("architecture", resolved(p.model().architecture()));
            model.set("training", json.valueToTree(p.model().training().asMap()));
        } else {
            model.put("modelId", p.model().modelId());
        }
        if (p.attack() != null) {
            out.set("attack", resolved(p.attack()));
        }
        ArrayNode defenses = out.putArray("defenses");
        for (DefensePlan d : p.defenses()) {
            ObjectNode plan = defenses.addObject();
            plan.set("defense", resolved(d.defense()));
            plan.set("contract", json.valueToTree(d.contract()));
            plan.put("fraction", d.fraction());
            plan.set("outputFormats", json.valueToTree(d.outputFormats()));
            if (d.oodDataset() != null) {
                plan.set("oodDataset", resolved(d.oodDataset()));
            }
        }
        ArrayNode metrics = out.putArray("metrics");
        p.metrics().forEach(m -> metrics.add(resolved(m)));
        if (p.retune() != null) {
            out.putObject("robustness").set("retune", json.valueToTree(p.retune()));
        }
        return out;
    }

    /**
     * The pipeline in {@code node}, resolved against {@code plugins} and {@code trainer}.
     *
     * @throws MissingPlugin         naming a plugin that is not registered here
     * @throws IllegalStateException naming the plugin when one resolves a parameter differently
     */
    public ValidatedPipeline decode(JsonNode node, PluginLookup plugins, ModelTrainer trainer) {
        Resolved dataset = resolve(node.path("dataset"), PluginKind.DATASET, plugins);
        JsonNode m = node.path("model");
        ModelPlan model;
        if ("train".equals(m.path("source").asText())) {
            if (trainer == null) {
                throw new IllegalStateException("this process has no model trainer, but the pipeline trains a model");
            }
            String arch = m.path("architecture").path("id").asText();
            ModelTrainer.ArchitectureInfo info = trainer.architecture(arch)
                    .orElseThrow(() -> new IllegalStateException("architecture '" + arch + "' is unknown to this process's model zoo"));
            model = new ModelPlan("train", new Resolved(arch, params(info.parameters(), m.path("architecture").path("params"),
                    "architecture '" + arch + "'")), params(trainer.trainingParameters(), m.path("training"), "training"), null);
        } else {
            model = new ModelPlan("stored", null, null, m.path("modelId").asText());
        }
        Resolved attack = node.hasNonNull("attack") ? resolve(node.get("attack"), PluginKind.ATTACK, plugins) : null;
        List<DefensePlan> defenses = new ArrayList<>();
        for (JsonNode d : node.path("defenses")) {
            DataContract contract = json.convertValue(d.path("contract"), DataContract.class);
            Resolved ood = d.hasNonNull("oodDataset") ? resolve(d.get("oodDataset"), PluginKind.DATASET, plugins) : null;
            List<String> formats = new ArrayList<>();
            d.path("outputFormats").forEach(f -> formats.add(f.asText()));
            defenses.add(new DefensePlan(resolve(d.path("defense"), PluginKind.DEFENSE, plugins), contract,
                    d.path("fraction").asDouble(), ood, formats));
        }
        List<Resolved> metrics = new ArrayList<>();
        for (JsonNode metric : node.path("metrics")) {
            metrics.add(resolve(metric, PluginKind.METRIC, plugins));
        }
        JsonNode retune = node.path("robustness").path("retune");
        return new ValidatedPipeline(node.path("name").asText(), node.path("seed").asLong(), dataset, model, attack,
                defenses, metrics, Duration.ofSeconds(node.path("stepTimeoutSeconds").asLong()),
                retune.isObject() ? json.convertValue(retune, RetuneConfig.class) : null);
    }

    private ObjectNode resolved(Resolved r) {
        ObjectNode out = json.createObjectNode();
        out.put("id", r.id());
        out.set("params", json.valueToTree(r.params().asMap()));
        return out;
    }

    private Resolved resolve(JsonNode node, PluginKind kind, PluginLookup plugins) {
        String id = node.path("id").asText();
        Plugin plugin = plugins.find(kind, id, Plugin.class)
                .orElseThrow(() -> new MissingPlugin(kind.jsonName() + " '" + id + "' is not installed in this process"))
                .plugin();
        return new Resolved(id, params(plugin.parameters(), node.path("params"), kind.jsonName() + " '" + id + "'"));
    }

    @SuppressWarnings("unchecked")
    private ResolvedParams params(ParamDescriptor descriptor, JsonNode given, String owner) {
        ResolvedParams resolved = descriptor.resolve(json.convertValue(given, Map.class));
        JsonNode again = json.valueToTree(resolved.asMap());
        if (!again.equals(given)) {
            throw new IllegalStateException("the parameters of " + owner + " resolve differently here: the server resolved "
                    + given + ", this process " + again);
        }
        return resolved;
    }
}
