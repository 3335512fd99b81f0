package io.purifier.server.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.purifier.api.Plugin;
import io.purifier.api.PluginKind;
import io.purifier.api.defense.DataContract;
import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ParamSpec;
import io.purifier.engine.robustness.RetuneConfig;
import io.purifier.server.PurifierServer;
import io.purifier.server.osgi.BundleIdentity;
import io.purifier.server.osgi.ComponentInfo;
import io.purifier.server.osgi.PluginLookup;
import io.purifier.server.osgi.PluginRegistry;
import io.purifier.server.pipeline.ValidatedPipeline.DefensePlan;
import io.purifier.server.pipeline.ValidatedPipeline.ModelPlan;
import io.purifier.server.pipeline.ValidatedPipeline.Resolved;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

class PipelineCodecTest {

    final ObjectMapper json = PurifierServer.objectMapper();
    final PipelineCodec codec = new PipelineCodec(json);
    static final ParamDescriptor RATIO = ParamDescriptor.of(ParamSpec.real("poisonRatio", 0.1, 0, 1, "ratio"),
            ParamSpec.integer("targetLabel", 0, 0, 9, "target"));
    static final ParamDescriptor EPOCHS = ParamDescriptor.of(ParamSpec.integer("epochs", 10, 1, 100, "epochs"));

    /** Plugins with the given descriptors by id. */
    private static PluginLookup plugins(Map<String, ParamDescriptor> descriptors) {
        Map<String, Plugin> byId = new HashMap<>();
        descriptors.forEach((id, d) -> {
            Plugin p = mock(Plugin.class);
            when(p.parameters()).thenReturn(d);
            byId.put(id, p);
        });
        return new PluginLookup() {
            @Override
            @SuppressWarnings("unchecked")
            public <T extends Plugin> Optional<PluginRegistry.Found<T>> find(PluginKind kind, String id, Class<T> type) {
                return Optional.ofNullable(byId.get(id)).map(p -> new PluginRegistry.Found<>((T) p, new BundleIdentity("b", "1", 1, null)));
            }

            @Override
            public List<ComponentInfo> list(PluginKind kind) {
                return List.of();
            }
        };
    }

    private static ValidatedPipeline pipeline() {
        return new ValidatedPipeline("badnets vs npd", 42, new Resolved("tiny", ParamDescriptor.none().defaults()),
                new ModelPlan("stored", null, null, "m-1"), new Resolved("badnets", RATIO.resolve(Map.of("poisonRatio", 0.2))),
                List.of(new DefensePlan(new Resolved("npd", EPOCHS.resolve(Map.of("epochs", 3))), DataContract.unlabeled(0.05, true),
                        0.1, new Resolved("digits", ParamDescriptor.none().defaults()), List.of("native", "onnx"))),
                List.of(new Resolved("asr", ParamDescriptor.none().defaults())), Duration.ofSeconds(900));
    }

    @Test
    void a_pipeline_decodes_to_what_was_encoded_against_the_same_plugins() throws Exception {
        ObjectNode encoded = codec.encode(pipeline());
        PluginLookup plugins = plugins(Map.of("tiny", ParamDescriptor.none(), "badnets", RATIO, "npd", EPOCHS,
                "digits", ParamDescriptor.none(), "asr", ParamDescriptor.none()));
        ValidatedPipeline decoded = codec.decode(json.readTree(encoded.toString()), plugins, null);
        assertEquals(pipeline(), decoded);
    }

    @Test
    void the_retuning_attack_travels_with_the_pipeline() throws Exception {
        ValidatedPipeline p = pipeline();
        RetuneConfig retune = new RetuneConfig(300, 0.2, 2, 0.005, 0.5, 32);
        ValidatedPipeline withRetune = new ValidatedPipeline(p.name(), p.seed(), p.dataset(), p.model(), p.attack(),
                p.defenses(), p.metrics(), p.stepTimeout(), retune);
        ObjectNode encoded = codec.encode(withRetune);
        assertEquals(300, encoded.path("robustness").path("retune").path("images").asInt());
        PluginLookup plugins = plugins(Map.of("tiny", ParamDescriptor.none(), "badnets", RATIO, "npd", EPOCHS,
                "digits", ParamDescriptor.none(), "asr", ParamDescriptor.none()));
        ValidatedPipeline decoded = codec.decode(json.readTree(encoded.toString()), plugins, null);
        assertEquals(retune, decoded.retune());
        assertEquals(withRetune, decoded);
        assertNull(codec.decode(json.readTree(codec.encode(p).toString()), plugins, null).retune());
    }

    @Test
    void a_plugin_whose_defaults_differ_here_refuses_the_pipeline_naming_it() {
        ObjectNode encoded = codec.encode(pipeline());
        ParamDescriptor moreParams = ParamDescriptor.of(ParamSpec.integer("epochs", 10, 1, 100, "epochs"),
                ParamSpec.real("lr", 0.01, 0, 1, "learning rate"));
        PluginLookup plugins = plugins(Map.of("tiny", ParamDescriptor.none(), "badnets", RATIO, "npd", moreParams,
                "digits", ParamDescriptor.none(), "asr", ParamDescriptor.none()));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> codec.decode(encoded, plugins, null));
        assertEquals("the parameters of defense 'npd' resolve differently here: the server resolved {\"epochs\":3}, "
                + "this process {\"epochs\":3,\"lr\":0.01}", e.getMessage());
    }

    @Test
    void a_missing_plugin_is_named() {
        PipelineCodec.MissingPlugin e = assertThrows(PipelineCodec.MissingPlugin.class,
                () -> codec.decode(codec.encode(pipeline()), plugins(Map.of("tiny", ParamDescriptor.none())), null));
        assertEquals("attack 'badnets' is not installed in this process", e.getMessage());
    }
}
