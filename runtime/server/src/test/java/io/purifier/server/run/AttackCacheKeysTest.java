package io.purifier.server.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.purifier.api.PluginKind;
import io.purifier.api.attack.Attack;
import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ParamSpec;
import io.purifier.server.PurifierServer;
import io.purifier.server.osgi.BundleIdentity;
import io.purifier.server.osgi.ComponentInfo;
import io.purifier.server.osgi.PluginLookup;
import io.purifier.server.osgi.PluginRegistry;
import io.purifier.server.pipeline.ModelTrainer;
import io.purifier.server.pipeline.ValidatedPipeline;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

class AttackCacheKeysTest {

    @Test
    void snapshot_build_qualifiers_do_not_change_cache_keys_but_releases_do() {
        assertEquals("0.1.0", AttackCacheKeys.releaseVersion("0.1.0.202611212335"));
        assertEquals("1.2.0.rc1", AttackCacheKeys.releaseVersion("1.2.0.rc1"));
        assertEquals("1.2.3", AttackCacheKeys.releaseVersion("1.2.3"));
    }

    @Test
    void the_parts_name_attack_dataset_recipe_seed_and_trainer() {
        ParamDescriptor ratio = ParamDescriptor.of(ParamSpec.real("poisonRatio", 0.1, 0, 1, "ratio"));
        ValidatedPipeline p = RunFixtures.pipeline(RunFixtures.resolved("tiny"),
                new ValidatedPipeline.ModelPlan("train", RunFixtures.resolved("small-cnn"), ParamDescriptor.none().defaults(), null),
                new ValidatedPipeline.Resolved("badnets", ratio.defaults()), List.of(), List.of());
        RunState s = new RunState(1, p);
        s.data = RunFixtures.splits(6, 3);
        Attack attack = mock(Attack.class);
        PluginLookup plugins = new PluginLookup() {
            @Override
            @SuppressWarnings("unchecked")
            public <T extends io.purifier.api.Plugin> Optional<PluginRegistry.Found<T>> find(PluginKind kind, String id, Class<T> type) {
                return Optional.of(new PluginRegistry.Found<>((T) attack,
                        new BundleIdentity("io.purifier.attack-badnets", "0.1.0.202611212335", 3, "x")));
            }

            @Override
            public List<ComponentInfo> list(PluginKind kind) {
                return List.of();
            }
        };
        ModelTrainer trainer = mock(ModelTrainer.class);
        when(trainer.version()).thenReturn("engine-2");
        ObjectNode parts = new AttackCacheKeys(plugins, trainer, PurifierServer.objectMapper()).parts(s, 99);
        assertEquals("{\"attack\":{\"id\":\"badnets\",\"params\":{\"poisonRatio\":0.1},\"bundleVersion\":\"io.purifier.attack-badnets@0.1.0\"},"
                + "\"datasetHash\":\"hash-of-tiny\",\"heldOutFraction\":0.0,\"architecture\":\"small-cnn\",\"architectureParams\":{},"
                + "\"training\":{},\"seed\":99,\"trainer\":\"engine-2\"}", parts.toString());
    }
}
