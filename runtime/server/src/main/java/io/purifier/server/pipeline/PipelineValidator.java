package io.purifier.server.pipeline;

import io.purifier.api.InvalidInputException;
import io.purifier.api.Plugin;
import io.purifier.api.PluginKind;
import io.purifier.api.defense.DataContract;
import io.purifier.api.defense.Defense;
import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ParamProblem;
import io.purifier.api.param.ResolvedParams;
import io.purifier.engine.robustness.RetuneConfig;
import io.purifier.server.osgi.ComponentInfo;
import io.purifier.server.osgi.PluginRegistry;
import io.purifier.server.pipeline.PipelineSpec.ComponentRef;
import io.purifier.server.pipeline.PipelineSpec.DefenseStep;
import io.purifier.server.pipeline.ValidatedPipeline.DefensePlan;
import io.purifier.server.pipeline.ValidatedPipeline.ModelPlan;
import io.purifier.server.pipeline.ValidatedPipeline.Resolved;
import io.purifier.server.executor.RunResources;
import io.purifier.server.store.ModelStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Checks a pipeline against its schema ({@link PipelineSchema}: required members, bounds), the installed plugins,
 * the model zoo, the stored models and every parameter descriptor, collecting all problems (not just the first)
 * with their JSON paths, in document order.
 */
public final class PipelineValidator {

    private final PluginRegistry registry;
    private final ModelTrainer trainer;
    private final ModelStore models;
    private final Duration defaultStepTimeout;
    private final Function<RunResources, Map<String, String>> resourceRefusals;

    /**
     * A validator that leaves every resource request to the executor.
     *
     * @param registry           installed plugins
     * @param trainer            the model trainer (zoo), or null when training is unavailable
     * @param models             uploaded models
     * @param defaultStepTimeout step time limit when the pipeline sets none
     */
    public PipelineValidator(PluginRegistry registry, ModelTrainer trainer, ModelStore models, Duration defaultStepTimeout) {
        this(registry, trainer, models, defaultStepTimeout, r -> Map.of());
    }

    /**
     * @param registry           installed plugins
     * @param trainer            the model trainer (zoo), or null when training is unavailable
     * @param models             uploaded models
     * @param defaultStepTimeout step time limit when the pipeline sets none
     * @param resourceRefusals   what the executor cannot give a run, by member of {@code resources}
     *                           ({@link io.purifier.server.executor.RunExecutor#refusals})
     */
    public PipelineValidator(PluginRegistry registry, ModelTrainer trainer, ModelStore models, Duration defaultStepTimeout,
                             Function<RunResources, Map<String, String>> resourceRefusals) {
        this.registry = registry;
        this.trainer = trainer;
        this.models = models;
        this.defaultStepTimeout = defaultStepTimeout;
        this.resourceRefusals = resourceRefusals;
    }

    /**
     * Validates and resolves {@code spec}.
     *
     * @throws PipelineInvalidException listing every problem
     */
    public ValidatedPipeline validate(PipelineSpec spec) {
        if (spec == null) {
            throw new PipelineInvalidException(List.of(new ParamProblem(PipelineSchema.ROOT, null, "the request body must be a pipeline JSON object")));
        }
        List<ParamProblem> problems = new ArrayList<>(PipelineSchema.problems(spec));
        long seed = spec.seed() == null ? 42 : spec.seed();
        Resolved dataset = spec.dataset() == null ? null : component(spec.dataset(), "dataset", PluginKind.DATASET, problems);
        ModelPlan model = spec.model() == null ? null : model(spec.model(), problems);
        Resolved attack = spec.attack() == null ? null : component(spec.attack(), "attack", PluginKind.ATTACK, problems);
        List<DefensePlan> defenses = new ArrayList<>();
        List<DefenseStep> defenseSpecs = spec.defenses() == null ? List.of() : spec.defenses();
        for (int i = 0; i < defenseSpecs.size(); i++) {
            DefensePlan plan = defense(defenseSpecs.get(i), "defenses[" + i + "]", problems);
            if (plan != null) {
                defenses.add(plan);
            }
        }
        List<Resolved> metrics = new ArrayList<>();
        if (spec.metrics() == null || spec.metrics().isEmpty()) {
            for (String id : registry.ids(PluginKind.METRIC)) {
                metrics.add(new Resolved(id, resolve(PluginKind.METRIC, id, Map.of(), "metrics", problems)));
            }
        } else {
            for (int i = 0; i < spec.metrics().size(); i++) {
                ComponentRef ref = spec.metrics().get(i);
                Resolved m = ref == null ? null : component(ref, "metrics[" + i + "]", PluginKind.METRIC, problems);
                if (m != null) {
                    metrics.add(m);
                }
            }
        }
        RetuneConfig retune = retune(spec, problems);
        Duration timeout = spec.limits() != null && spec.limits().stepTimeoutSeconds() != null
                ? Duration.ofSeconds(spec.limits().stepTimeoutSeconds()) : defaultStepTimeout;
        RunResources resources = ResourceRequests.resolve(spec.resources(), resourceRefusals, problems);
        if (!problems.isEmpty()) {
            problems.sort(Comparator.comparing(ParamProblem::parameter, PipelineSchema.documentOrder()));
            throw new PipelineInvalidException(problems);
        }
        String name = spec.name();
        if (name == null || name.isBlank()) {
            name = defaultName(dataset, model, attack, defenses);
        }
        return new ValidatedPipeline(name.trim(), seed, dataset, model, attack, defenses, metrics, timeout, retune,
                resources);
    }


    /** The retuning attack of {@code robustness.retune} with defaults filled in, or null when it is left out. */
    private static RetuneConfig retune(PipelineSpec spec, List<ParamProblem> problems) {
        if (spec.robustness() == null || spec.robustness().retune() == null) {
            return null; // the schema reports a robustness member without its retune
        }
        if (spec.attack() == null) {
            problems.add(new ParamProblem("robustness", "retune", "the retuning attack needs an attack: its retuning set "
                    + "mixes the attack's poisoned training samples, and P-ASR is measured on its poisoned test set"));
            return null;
        }
        PipelineSpec.Retune r = spec.robustness().retune();
        RetuneConfig d = RetuneConfig.DEFAULTS;
        try {
            return new RetuneConfig(r.images() == null ? d.images() : r.images(),
                    r.poisonRatio() == null ? d.poisonRatio() : r.poisonRatio(),
                    r.epochs() == null ? d.epochs() : r.epochs(),
                    r.learningRate() == null ? d.learningRate() : r.learningRate(),
                    r.momentum() == null ? d.momentum() : r.momentum(),
                    r.batchSize() == null ? d.batchSize() : r.batchSize());
        } catch (InvalidInputException e) {
            return null; // out-of-bounds values: the schema names each field
        }
    }

    private ModelPlan model(PipelineSpec.ModelSource source, List<ParamProblem> problems) {
        if (source.source() == null) {
            return null; // the schema reports the missing source
        }
        if (source.source() == PipelineSpec.ModelSource.Source.STORED) {
            if (source.modelId() == null || source.modelId().isBlank()) {
                problems.add(new ParamProblem("model.modelId", null, "a stored model needs the modelId returned by POST /api/models"));
            } else if (models.find(source.modelId()).isEmpty()) {
                problems.add(new ParamProblem("model.modelId", source.modelId(), "no stored model with this id (see GET /api/models)"));
            }
            if (source.architecture() != null || source.training() != null) {
                problems.add(new ParamProblem("model", "stored", "architecture and training apply only to source \"train\""));
            }
            return new ModelPlan("stored", null, null, source.modelId());
        }
        if (trainer == null) {
            problems.add(new ParamProblem("model.source", "train", "this server has no model trainer; use a stored model"));
            return null;
        }
        if (source.modelId() != null) {
            problems.add(new ParamProblem("model.modelId", source.modelId(), "applies only to source \"stored\""));
        }
        ComponentRef arch = source.architecture();
        if (arch == null) {
            problems.add(new ParamProblem("model.architecture.id", null, "required; one of " + architectureIds()));
            return null;
        }
        if (arch.id() == null) {
            return null; // the schema reports the missing id
        }
        Optional<ModelTrainer.ArchitectureInfo> info = trainer.architecture(arch.id());
        if (info.isEmpty()) {
            problems.add(new ParamProblem("model.architecture.id", arch.id(), "unknown architecture; one of " + architectureIds()));
            return null;
        }
        ResolvedParams archParams = resolve(info.get().parameters(), arch.params(), "model.architecture.params", problems);
        ResolvedParams training = resolve(trainer.trainingParameters(), source.training(), "model.training", problems);
        return new ModelPlan("train", new Resolved(arch.id(), archParams), training, null);
    }

    private List<String> architectureIds() {
        return trainer.architectures().stream().map(ModelTrainer.ArchitectureInfo::id).toList();
    }

    private DefensePlan defense(DefenseStep step, String path, List<ParamProblem> problems) {
        if (step == null || step.id() == null) {
            return null; // the schema reports the missing member
        }
        Optional<PluginRegistry.Found<Defense>> found = registry.find(PluginKind.DEFENSE, step.id(), Defense.class);
        if (found.isEmpty()) {
            problems.add(new ParamProblem(path + ".id", step.id(), "no such defense installed; one of " + registry.ids(PluginKind.DEFENSE)));
            return null;
        }
        Defense defense = found.get().plugin();
        ResolvedParams params = resolve(defense.parameters(), step.params(), path + ".params", problems);
        DataContract contract = defense.dataContract();
        double fraction = contract.defaultFraction();
        Resolved ood = null;
        if (step.data() != null) {
            if (step.data().fraction() != null) {
                double f = step.data().fraction();
                if (contract.kind() == DataContract.Kind.NONE) {
                    problems.add(new ParamProblem(path + ".data.fraction", f, "this defense uses no data"));
                } else {
                    fraction = f; // its bounds are the schema's
                }
            }
            if (step.data().dataset() != null) {
                if (contract.kind() != DataContract.Kind.UNLABELED || !contract.outOfDistributionAllowed()) {
                    problems.add(new ParamProblem(path + ".data.dataset", step.data().dataset().id(),
                            "this defense does not accept data from another dataset (its contract: " + contract.kind() + ")"));
                } else {
                    ood = component(step.data().dataset(), path + ".data.dataset", PluginKind.DATASET, problems);
                }
            }
        }
        List<String> formats = outputFormats(step.outputFormats(), path + ".outputFormats", problems);
        return new DefensePlan(new Resolved(step.id(), params), contract, fraction, ood, formats);
    }

    /** The output formats of a defense step: installed model formats that can save, each once. */
    private List<String> outputFormats(List<String> ids, String path, List<ParamProblem> problems) {
        List<String> out = new ArrayList<>();
        if (ids == null) {
            return out;
        }
        List<String> saving = registry.list(PluginKind.MODEL_FORMAT).stream().filter(ComponentInfo::canSave)
                .map(ComponentInfo::id).sorted().toList();
        for (int j = 0; j < ids.size(); j++) {
            String id = ids.get(j);
            String at = path + "[" + j + "]";
            if (id == null) {
                continue; // the schema reports a null item
            }
            if (id.isBlank()) {
                problems.add(new ParamProblem(at, id, "a model format id is required; formats that save: " + saving));
            } else if (!registry.has(PluginKind.MODEL_FORMAT, id)) {
                problems.add(new ParamProblem(at, id, "no such model format installed; formats that save: " + saving));
            } else if (!saving.contains(id)) {
                problems.add(new ParamProblem(at, id, "model format '" + id + "' cannot save models; formats that save: "
                        + saving));
            } else if (out.contains(id)) {
                problems.add(new ParamProblem(at, id, "is listed twice"));
            } else {
                out.add(id);
            }
        }
        return out;
    }

    private Resolved component(ComponentRef ref, String path, PluginKind kind, List<ParamProblem> problems) {
        if (ref.id() == null) {
            return null; // the schema reports the missing id
        }
        if (ref.id().isBlank()) {
            problems.add(new ParamProblem(path + ".id", ref.id(), "required; one of " + registry.ids(kind)));
            return null;
        }
        ResolvedParams params = resolve(kind, ref.id(), ref.params(), path, problems);
        return params == null ? null : new Resolved(ref.id(), params);
    }

    private ResolvedParams resolve(PluginKind kind, String id, Map<String, Object> raw, String path, List<ParamProblem> problems) {
        Optional<PluginRegistry.Found<Plugin>> found = registry.find(kind, id, Plugin.class);
        if (found.isEmpty()) {
            problems.add(new ParamProblem(path + ".id", id, "no such " + kind.jsonName() + " installed; one of " + registry.ids(kind)));
            return null;
        }
        return resolve(found.get().plugin().parameters(), raw, path + ".params", problems);
    }

    private static ResolvedParams resolve(ParamDescriptor descriptor, Map<String, Object> raw, String path, List<ParamProblem> problems) {
        List<ParamProblem> found = descriptor.problems(raw);
        if (!found.isEmpty()) {
            found.forEach(p -> problems.add(p.under(path)));
            return null;
        }
        return descriptor.resolve(raw);
    }

    private static String defaultName(Resolved dataset, ModelPlan model, Resolved attack, List<DefensePlan> defenses) {
        StringBuilder name = new StringBuilder();
        name.append(attack == null ? "clean" : attack.id());
        name.append(" on ").append(dataset.id());
        name.append(model.trains() ? " / " + model.architecture().id() : " / " + model.modelId());
        if (!defenses.isEmpty()) {
            name.append(" → ");
            name.append(String.join(" → ", defenses.stream().map(d -> d.defense().id()).toList()));
        }
        return name.toString();
    }
}
