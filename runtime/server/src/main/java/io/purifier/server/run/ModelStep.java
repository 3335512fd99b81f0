package io.purifier.server.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.purifier.api.InvalidInputException;
import io.purifier.api.PluginKind;
import io.purifier.api.model.Model;
import io.purifier.api.model.ModelFormat;
import io.purifier.api.param.ResolvedParams;
import io.purifier.server.osgi.PluginLookup;
import io.purifier.server.osgi.PluginRegistry;
import io.purifier.server.pipeline.StepPlans;
import io.purifier.server.pipeline.ValidatedPipeline.ModelPlan;
import io.purifier.server.run.StoredModels.StoredModelFile;
import io.purifier.server.store.StepStatus;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The model step: trains the zoo model (or reuses it from the attack-once cache), or loads the uploaded model with
 * its format plugin; then checks that it fits the dataset and evaluates it, which gives the baseline of the
 * defense steps.
 */
final class ModelStep {

    private final StepRunner steps;
    private final TrainedModels trained;
    private final StoredModels storedModels;
    private final PluginLookup plugins;
    private final MetricEvaluator metrics;
    private final ObjectMapper json;

    ModelStep(StepRunner steps, TrainedModels trained, StoredModels storedModels, PluginLookup plugins,
              MetricEvaluator metrics, ObjectMapper json) {
        this.steps = steps;
        this.trained = trained;
        this.storedModels = storedModels;
        this.plugins = plugins;
        this.metrics = metrics;
        this.json = json;
    }

    void run(RunState s) throws StepFailure {
        ModelPlan plan = s.pipeline.model();
        s.model = plan.trains() ? train(s, plan) : load(s, plan);
        s.step++;
    }

    private Model train(RunState s, ModelPlan plan) throws StepFailure {
        StepRunner.Step<?> step = new StepRunner.Step<>(StepPlans.MODEL, null, plan.architecture().id(), null,
                plan.architecture().params(), null);
        return steps.run(s.step, step, (unused, ctx) -> {
            Map<String, Object> summary = new LinkedHashMap<>();
            Model model = trained.trainOrReuse(s, ctx, summary);
            Shapes.check(model, s.data);
            s.baseline = metrics.evaluate(s, model, null, ctx);
            return new StepRunner.Output<>(model, summary);
        });
    }

    private Model load(RunState s, ModelPlan plan) throws StepFailure {
        StoredModelFile stored = storedModels.find(plan.modelId())
                .orElseThrow(() -> new StepFailure(StepStatus.FAILED, "stored model " + plan.modelId() + " no longer exists", null));
        PluginRegistry.Found<ModelFormat> format = plugins.find(PluginKind.MODEL_FORMAT, stored.formatId(), ModelFormat.class)
                .orElseThrow(() -> new StepFailure(StepStatus.FAILED, "model format '" + stored.formatId()
                        + "' of model " + stored.id() + " is no longer installed", null));
        ResolvedParams formatParams;
        try {
            formatParams = format.plugin().parameters().resolve(json.convertValue(stored.params(), Map.class));
        } catch (InvalidInputException e) {
            throw new StepFailure(StepStatus.FAILED, "stored format parameters no longer fit format '" + stored.formatId()
                    + "': " + e.getMessage(), e);
        }
        StepRunner.Step<ModelFormat> step = new StepRunner.Step<>(StepPlans.MODEL, PluginKind.MODEL_FORMAT, stored.formatId(),
                ModelFormat.class, formatParams, null);
        return steps.run(s.step, step, (fmt, ctx) -> {
            Model loaded = fmt.load(stored.file(), formatParams);
            Shapes.check(loaded, s.data);
            s.baseline = metrics.evaluate(s, loaded, null, ctx);
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("modelId", stored.id());
            summary.put("modelSha256", stored.sha256());
            return new StepRunner.Output<>(loaded, summary);
        });
    }
}
