package io.purifier.server.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.purifier.api.Plugin;
import io.purifier.api.PluginKind;
import io.purifier.server.osgi.PluginLookup;
import io.purifier.server.pipeline.ModelTrainer;
import io.purifier.server.pipeline.ValidatedPipeline;

/**
 * The parts the attack-once cache key of a trained model is computed from: attack id, resolved parameters and
 * bundle version, dataset content hash, held-out fraction, architecture and its parameters, training parameters,
 * the model step's seed and the trainer version. Two pipelines with equal parts train the same model.
 */
final class AttackCacheKeys {

    private final PluginLookup plugins;
    private final ModelTrainer trainer;
    private final ObjectMapper json;

    AttackCacheKeys(PluginLookup plugins, ModelTrainer trainer, ObjectMapper json) {
        this.plugins = plugins;
        this.trainer = trainer;
        this.json = json;
    }

    /** The key parts of the model that run state {@code s} trains with the model step's seed {@code seed}. */
    ObjectNode parts(RunState s, long seed) {
        ValidatedPipeline p = s.pipeline;
        ObjectNode parts = json.createObjectNode();
        if (p.attack() != null) {
            ObjectNode a = parts.putObject("attack");
            a.put("id", p.attack().id());
            a.set("params", json.valueToTree(p.attack().params().asMap()));
            plugins.find(PluginKind.ATTACK, p.attack().id(), Plugin.class)
                    .ifPresent(f -> a.put("bundleVersion", f.bundle().symbolicName() + "@" + releaseVersion(f.bundle().version())));
        }
        parts.put("datasetHash", s.data.contentHash());
        parts.put("heldOutFraction", p.heldOutFraction());
        parts.put("architecture", p.model().architecture().id());
        parts.set("architectureParams", json.valueToTree(p.model().architecture().params().asMap()));
        parts.set("training", json.valueToTree(p.model().training().asMap()));
        parts.put("seed", seed);
        parts.put("trainer", trainer.version());
        return parts;
    }

    /**
     * The bundle version for cache keys: a bnd build-time qualifier (12+ digits, e.g. {@code 0.1.0.202611212335})
     * is dropped, so rebuilding unchanged snapshot code keeps its cached models; released versions count fully.
     */
    static String releaseVersion(String version) {
        return version.replaceFirst("\\.\\d{12,}$", "");
    }
}
