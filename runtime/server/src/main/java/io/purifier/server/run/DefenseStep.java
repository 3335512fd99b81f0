package io.purifier.server.run;

import io.purifier.api.PluginKind;
import io.purifier.api.defense.DataContract;
import io.purifier.api.defense.Defense;
import io.purifier.api.defense.DefenseData;
import io.purifier.api.defense.DefenseResult;
import io.purifier.api.model.Model;
import io.purifier.server.pipeline.StepPlans;
import io.purifier.server.pipeline.ValidatedPipeline.DefensePlan;
import io.purifier.server.pipeline.ValidatedPipeline.Resolved;

/**
 * One defense step: hands the defense the current model and the data its contract declares, evaluates the purified
 * model against the model step's baseline, saves it as an artifact, and makes it the current model.
 */
final class DefenseStep {

    private final StepRunner steps;
    private final DefenseDataAssembler defenseData;
    private final MetricEvaluator metrics;
    private final ModelWriter writer;

    DefenseStep(StepRunner steps, DefenseDataAssembler defenseData, MetricEvaluator metrics, ModelWriter writer) {
        this.steps = steps;
        this.defenseData = defenseData;
        this.metrics = metrics;
        this.writer = writer;
    }

    void run(RunState s, DefensePlan plan) throws StepFailure {
        Resolved d = plan.defense();
        Model input = s.model;
        StepRunner.Step<Defense> step = new StepRunner.Step<>(StepPlans.DEFENSE, PluginKind.DEFENSE, d.id(), Defense.class,
                d.params(), ReportingProbes.of(s));
        s.model = steps.run(s.step, step, (defense, ctx) -> {
            DataContract contract = defense.dataContract();
            if (contract.kind() != plan.contract().kind()) {
                throw new IllegalStateException("defense " + d.id() + " changed its data contract since the pipeline was validated");
            }
            DefenseData data = defenseData.assemble(s, plan, ctx);
            ctx.log("defense data: " + data.description());
            DefenseResult result = defense.purify(input, data, d.params(), ctx);
            if (result == null) {
                throw new IllegalStateException("defense returned no result");
            }
            Shapes.check(result.purified(), s.data);
            metrics.evaluate(s, result.purified(), s.baseline, ctx);
            writer.save(result.purified(), ctx, plan.outputFormats());
            return new StepRunner.Output<>(result.purified(), result.summary());
        });
        s.step++;
    }
}
