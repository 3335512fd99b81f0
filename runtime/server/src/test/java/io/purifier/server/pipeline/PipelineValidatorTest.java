package io.purifier.server.pipeline;

import io.purifier.api.Plugin;
import io.purifier.api.PluginKind;
import io.purifier.api.defense.DataContract;
import io.purifier.api.defense.Defense;
import io.purifier.api.defense.DefenseData;
import io.purifier.api.defense.DefenseResult;
import io.purifier.api.model.Model;
import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ParamProblem;
import io.purifier.api.param.ParamSpec;
import io.purifier.api.param.ResolvedParams;
import io.purifier.api.run.RunContext;
import io.purifier.engine.robustness.RetuneConfig;
import io.purifier.server.executor.RunResources;
import io.purifier.server.osgi.BundleIdentity;
import io.purifier.server.osgi.ComponentInfo;
import io.purifier.server.osgi.PluginRegistry;
import io.purifier.server.pipeline.PipelineSpec.ComponentRef;
import io.purifier.server.pipeline.PipelineSpec.DataSpec;
import io.purifier.server.pipeline.PipelineSpec.DefenseStep;
import io.purifier.server.pipeline.PipelineSpec.ModelSource;
import io.purifier.server.pipeline.PipelineSpec.ModelSource.Source;
import io.purifier.server.store.ModelStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

class PipelineValidatorTest {

    /** A defense with one parameter and a chosen contract. */
    record FakeDefense(String id, DataContract contract) implements Defense {
        public String name() {
            return id;
        }

        public String description() {
            return id;
        }

        public ParamDescriptor parameters() {
            return ParamDescriptor.of(ParamSpec.integer("epochs", 10, 1, 100, "epochs"));
        }

        public DataContract dataContract() {
            return contract;
        }

        public DefenseResult purify(Model model, DefenseData data, ResolvedParams params, RunContext ctx) {
            return DefenseResult.of(model);
        }
    }

    /** A plugin without parameters of any kind. */
    record FakePlugin(String id) implements Plugin {
        public String name() {
            return id;
        }

        public String description() {
            return id;
        }

        public ParamDescriptor parameters() {
            return ParamDescriptor.of(ParamSpec.real("ratio", 0.1, 0.0, 1.0, "ratio"));
        }
    }

    private final Map<PluginKind, Map<String, Plugin>> installed = Map.of(
            PluginKind.DATASET, Map.of("blobs", new FakePlugin("blobs"), "other", new FakePlugin("other")),
            PluginKind.ATTACK, Map.of("badnets", new FakePlugin("badnets")),
            PluginKind.DEFENSE, Map.of("npd", new FakeDefense("npd", DataContract.labeledClean(0.05)),
                    "bcu", new FakeDefense("bcu", DataContract.unlabeled(0.1, true))),
            PluginKind.METRIC, Map.of("acc", new FakePlugin("acc"), "asr", new FakePlugin("asr")),
            PluginKind.MODEL_FORMAT, Map.of());
    private PipelineValidator validator;

    @BeforeEach
    @SuppressWarnings({"unchecked", "rawtypes"})
    void setUp() {
        PluginRegistry registry = mock(PluginRegistry.class);
        when(registry.find(any(), anyString(), any())).thenAnswer(inv -> {
            Plugin p = installed.get((PluginKind) inv.getArgument(0)).get((String) inv.getArgument(1));
            return p == null ? Optional.empty() : Optional.of(new PluginRegistry.Found(p, new BundleIdentity("b", "1.0", 1, null)));
        });
        when(registry.ids(any())).thenAnswer(inv -> installed.get((PluginKind) inv.getArgument(0)).keySet().stream().sorted().toList());
        List<ComponentInfo> formats = List.of(format("native", true), format("onnx", true), format("keras-h5", false));
        when(registry.list(PluginKind.MODEL_FORMAT)).thenReturn(formats);
        when(registry.has(any(), anyString())).thenAnswer(inv -> inv.getArgument(0) == PluginKind.MODEL_FORMAT
                && formats.stream().anyMatch(f -> f.id().equals(inv.getArgument(1))));
        ModelStore models = mock(ModelStore.class);
        when(models.find(anyString())).thenReturn(Optional.empty());
        ModelTrainer trainer = mock(ModelTrainer.class);
        ModelTrainer.ArchitectureInfo cnn = new ModelTrainer.ArchitectureInfo("small-cnn", "CNN", "cnn",
                ParamDescriptor.of(ParamSpec.integer("width", 32, 1, 512, "w")));
        when(trainer.architectures()).thenReturn(List.of(cnn));
        when(trainer.architecture("small-cnn")).thenReturn(Optional.of(cnn));
        when(trainer.architecture("resnet")).thenReturn(Optional.empty());
        when(trainer.trainingParameters()).thenReturn(ParamDescriptor.of(ParamSpec.integer("epochs", 2, 1, 100, "e")));
        validator = new PipelineValidator(registry, trainer, models, Duration.ofMinutes(10));
    }

    private static ComponentInfo format(String id, boolean canSave) {
        return new ComponentInfo(id, "model-format", id, id, List.of(), null, List.of(id), canSave, null);
    }

    @Test
    void output_formats_must_be_installed_formats_that_save_each_once() {
        ValidatedPipeline v = validator.validate(spec(train(), null,
                List.of(new DefenseStep("npd", null, null, List.of("native", "onnx")), new DefenseStep("npd", null, null)),
                null));
        assertEquals(List.of("native", "onnx"), v.defenses().get(0).outputFormats());
        assertEquals(List.of(), v.defenses().get(1).outputFormats(), "no list: the default format");
        PipelineInvalidException e = assertThrows(PipelineInvalidException.class, () -> validator.validate(spec(train(),
                null, List.of(new DefenseStep("npd", null, null, java.util.Arrays.asList("keras-h5", "tflite", "onnx",
                        "onnx", null))), null)));
        assertEquals(List.of("defenses[0].outputFormats[0]", "defenses[0].outputFormats[1]",
                "defenses[0].outputFormats[3]", "defenses[0].outputFormats[4]"),
                e.problems().stream().map(ParamProblem::parameter).toList());
        assertTrue(e.problems().get(0).message().contains("cannot save models; formats that save: [native, onnx]"),
                e.problems().get(0).message());
        assertTrue(e.problems().get(1).message().contains("no such model format installed"), e.problems().get(1).message());
    }

    private static PipelineSpec spec(ModelSource model, ComponentRef attack, List<DefenseStep> defenses, List<ComponentRef> metrics) {
        return new PipelineSpec(null, null, new ComponentRef("blobs", null), model, attack, defenses, metrics, null);
    }

    private static ModelSource train() {
        return new ModelSource(Source.TRAIN, new ComponentRef("small-cnn", null), Map.of("epochs", 3), null);
    }

    @Test
    void resolves_defaults_seed_name_and_all_metrics() {
        ValidatedPipeline v = validator.validate(spec(train(), new ComponentRef("badnets", null),
                List.of(new DefenseStep("npd", null, null)), null));
        assertEquals(42, v.seed());
        assertEquals("badnets on blobs / small-cnn → npd", v.name());
        assertEquals(3, v.model().training().integer("epochs"));
        assertEquals(32, v.model().architecture().params().integer("width"));
        assertEquals(0.05, v.defenses().get(0).fraction());
        assertEquals(10, v.defenses().get(0).defense().params().integer("epochs"));
        assertEquals(List.of("acc", "asr"), v.metrics().stream().map(ValidatedPipeline.Resolved::id).toList());
        assertEquals(Duration.ofMinutes(10), v.stepTimeout());
        assertEquals(0.0, v.heldOutFraction());
    }

    private static PipelineSpec withRetune(ComponentRef attack, PipelineSpec.Retune retune) {
        return new PipelineSpec(null, null, new ComponentRef("blobs", null), train(), attack,
                List.of(new DefenseStep("npd", null, null)), null, null, new PipelineSpec.Robustness(retune));
    }

    @Test
    void the_retuning_attack_takes_its_defaults_for_left_out_members() {
        ValidatedPipeline v = validator.validate(withRetune(new ComponentRef("badnets", null),
                new PipelineSpec.Retune(200, null, 1, null, null, 32)));
        assertEquals(new RetuneConfig(200, 0.1, 1, 0.01, 0.9, 32), v.retune());
        ValidatedPipeline defaults = validator.validate(withRetune(new ComponentRef("badnets", null),
                new PipelineSpec.Retune(null, null, null, null, null, null)));
        assertEquals(RetuneConfig.DEFAULTS, defaults.retune());
        assertNull(validator.validate(spec(train(), new ComponentRef("badnets", null), List.of(), null)).retune());
    }

    @Test
    void the_retuning_attack_needs_an_attack_and_values_in_bounds_each_named() {
        PipelineInvalidException noAttack = assertThrows(PipelineInvalidException.class,
                () -> validator.validate(withRetune(null, new PipelineSpec.Retune(null, null, null, null, null, null))));
        assertEquals(List.of("robustness"), noAttack.problems().stream().map(ParamProblem::parameter).toList());
        assertTrue(noAttack.problems().get(0).message().contains("needs an attack"), noAttack.problems().get(0).message());
        PipelineInvalidException bounds = assertThrows(PipelineInvalidException.class,
                () -> validator.validate(withRetune(new ComponentRef("badnets", null),
                        new PipelineSpec.Retune(1, 0.0, 0, -0.1, 1.0, 1))));
        assertEquals(List.of("robustness.retune.images", "robustness.retune.poisonRatio", "robustness.retune.epochs",
                        "robustness.retune.learningRate", "robustness.retune.momentum", "robustness.retune.batchSize"),
                bounds.problems().stream().map(ParamProblem::parameter).toList());
        PipelineInvalidException missing = assertThrows(PipelineInvalidException.class,
                () -> validator.validate(withRetune(new ComponentRef("badnets", null), null)));
        assertEquals(List.of("robustness.retune"), missing.problems().stream().map(ParamProblem::parameter).toList());
    }

    private static PipelineSpec withResources(PipelineSpec.Resources resources) {
        return new PipelineSpec(null, null, new ComponentRef("blobs", null), train(), null,
                List.of(new DefenseStep("npd", null, null)), null, null, null, resources);
    }

    @Test
    void resources_are_carried_each_left_out_member_to_the_executor() {
        assertEquals(RunResources.DEFAULTS, validator.validate(withResources(null)).resources());
        assertEquals(new RunResources(4, 0, Duration.ofMinutes(90)),
                validator.validate(withResources(new PipelineSpec.Resources(4, null, 90))).resources());
        PipelineInvalidException bounds = assertThrows(PipelineInvalidException.class,
                () -> validator.validate(withResources(new PipelineSpec.Resources(0, 100, 0))));
        assertEquals(List.of("resources.cpus", "resources.memoryMegabytes", "resources.timeLimitMinutes"),
                bounds.problems().stream().map(ParamProblem::parameter).toList());
    }

    @Test
    void resources_the_executor_cannot_give_are_refused_with_its_reason() {
        PipelineValidator small = new PipelineValidator(mock(PluginRegistry.class), null, mock(ModelStore.class),
                Duration.ofMinutes(10), r -> r.cpus() > 2 ? Map.of("cpus", "asks for " + r.cpus() + " CPUs; this machine has 2")
                : Map.of());
        PipelineSpec spec = new PipelineSpec(null, null, null, null, null, null, null, null, null,
                new PipelineSpec.Resources(8, null, null));
        PipelineInvalidException e = assertThrows(PipelineInvalidException.class, () -> small.validate(spec));
        ParamProblem cpus = e.problems().stream().filter(p -> p.parameter().equals("resources.cpus")).findFirst().orElseThrow();
        assertEquals(8, cpus.value());
        assertEquals("asks for 8 CPUs; this machine has 2", cpus.message());
    }

    @Test
    void lists_every_problem_with_its_json_path() {
        PipelineSpec bad = new PipelineSpec(null, -1L, new ComponentRef("nope", null),
                new ModelSource(Source.TRAIN, new ComponentRef("resnet", null), null, null), new ComponentRef("badnets", Map.of("ratio", 2)),
                List.of(new DefenseStep("npd", Map.of("epochs", 0), new DataSpec(1.5, null)), new DefenseStep("ghost", null, null)),
                List.of(new ComponentRef("acc", Map.of("typo", 1))), new PipelineSpec.Limits(0));
        PipelineInvalidException e = assertThrows(PipelineInvalidException.class, () -> validator.validate(bad));
        List<String> paths = e.problems().stream().map(ParamProblem::parameter).toList();
        assertEquals(List.of("seed", "dataset.id", "model.architecture.id", "attack.params.ratio", "defenses[0].params.epochs",
                "defenses[0].data.fraction", "defenses[1].id", "metrics[0].params.typo", "limits.stepTimeoutSeconds"), paths);
        ParamProblem unknownDefense = e.problems().get(6);
        assertEquals("ghost", unknownDefense.value());
        assertTrue(unknownDefense.message().contains("[bcu, npd]"), unknownDefense.message());
    }

    @Test
    void holds_out_data_only_for_in_distribution_unlabeled_defenses() {
        ValidatedPipeline v = validator.validate(spec(train(), null, List.of(new DefenseStep("bcu", null, new DataSpec(0.2, null))), null));
        assertEquals(0.2, v.heldOutFraction());
        ValidatedPipeline ood = validator.validate(spec(train(), null,
                List.of(new DefenseStep("bcu", null, new DataSpec(0.2, new ComponentRef("other", null)))), null));
        assertEquals(0.0, ood.heldOutFraction());
        assertEquals("other", ood.defenses().get(0).oodDataset().id());
    }

    @Test
    void refuses_other_dataset_for_a_labeled_defense_and_unknown_stored_models() {
        PipelineInvalidException e = assertThrows(PipelineInvalidException.class, () -> validator.validate(spec(train(), null,
                List.of(new DefenseStep("npd", null, new DataSpec(null, new ComponentRef("other", null)))), null)));
        assertEquals("defenses[0].data.dataset", e.problems().get(0).parameter());
        PipelineInvalidException stored = assertThrows(PipelineInvalidException.class, () -> validator.validate(
                spec(new ModelSource(Source.STORED, null, null, "m-123"), null, List.of(), null)));
        assertEquals("model.modelId", stored.problems().get(0).parameter());
        PipelineInvalidException source = assertThrows(PipelineInvalidException.class, () -> validator.validate(
                spec(new ModelSource(null, null, null, null), null, List.of(), null)));
        assertEquals("model.source = null: a value is required", source.problems().get(0).toString());
    }

    @Test
    void a_missing_member_is_reported_once_by_the_schema() {
        PipelineSpec noIds = new PipelineSpec(null, null, new ComponentRef(null, null),
                new ModelSource(Source.TRAIN, new ComponentRef(null, null), null, null), null,
                List.of(new DefenseStep(null, null, null)), null, null);
        PipelineInvalidException e = assertThrows(PipelineInvalidException.class, () -> validator.validate(noIds));
        assertEquals(List.of("dataset.id = null: a value is required", "model.architecture.id = null: a value is required",
                "defenses[0].id = null: a value is required"), e.problems().stream().map(ParamProblem::toString).toList());
    }

    @Test
    void an_explicit_metric_list_is_kept_in_order() {
        ValidatedPipeline v = validator.validate(spec(train(), null, List.of(),
                List.of(new ComponentRef("asr", null), new ComponentRef("acc", Map.of("ratio", 0.5)))));
        assertEquals(List.of("asr", "acc"), v.metrics().stream().map(ValidatedPipeline.Resolved::id).toList());
        assertEquals(0.5, v.metrics().get(1).params().real("ratio"));
        assertNull(v.attack());
    }

    @Test
    void null_entries_in_the_metric_and_defense_lists_are_problems_not_crashes() {
        List<ComponentRef> metrics = new java.util.ArrayList<>();
        metrics.add(null);
        List<DefenseStep> defenses = new java.util.ArrayList<>();
        defenses.add(null);
        PipelineInvalidException e = assertThrows(PipelineInvalidException.class,
                () -> validator.validate(spec(train(), null, defenses, metrics)));
        List<String> paths = e.problems().stream().map(ParamProblem::parameter).toList();
        assertTrue(paths.stream().anyMatch(p -> p.startsWith("defenses[0]")), paths.toString());
        assertTrue(paths.stream().anyMatch(p -> p.startsWith("metrics[0]")), paths.toString());
    }
}
