package io.purifier.server.run;

import io.purifier.server.pipeline.StepPlans;
import io.purifier.server.pipeline.ValidatedPipeline;
import io.purifier.server.pipeline.ValidatedPipeline.DefensePlan;
import io.purifier.server.store.RunStatus;
import io.purifier.server.store.StepStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Executes one run: dataset → attack → model → defenses, each model evaluated with the pipeline's metrics, and
 * everything reported to a {@link RunRecorder}. Each step's plugin code runs under {@link StepExecutor}, so a failing,
 * hanging or NaN-producing plugin fails its step (and the run) but never the process.
 */
public final class PipelineRunner {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineRunner.class);

    /** How long a cancelled or timed-out step gets to notice before it is abandoned (and its worker can exit). */
    public static final Duration STEP_STOP_GRACE = StepExecutor.GRACE;

    private final RunEnvironment env;

    /** @param env what runs need from this process */
    public PipelineRunner(RunEnvironment env) {
        this.env = env;
    }

    /**
     * Runs {@code job} to its end, reporting to {@code recorder} (the last report is
     * {@link RunRecorder#runFinished}); never throws.
     *
     * @return how the run ended
     */
    public RunStatus run(RunJob job, RunRecorder recorder) {
        ValidatedPipeline p = job.pipeline();
        Path runDir = env.runsDir().resolve(Long.toString(job.runId()));
        Provenance provenance = new Provenance(env.json(), p.seed(), job.user(), env.version(),
                env.trainer() == null ? null : env.trainer().version());
        RunProgress progress = new RunProgress(StepPlans.weights(p), recorder);
        StepRunner steps = new StepRunner(env.plugins(), recorder, job, provenance, progress, runDir, env.dataRoots(), env.json());
        MetricEvaluator metrics = new MetricEvaluator(env.plugins(), recorder);
        TrainedModels trained = new TrainedModels(new AttackCacheKeys(env.plugins(), env.trainer(), env.json()), env.cache(),
                env.trainer(), recorder, runDir, env.json(), env.checkpoints());
        ModelStep modelStep = new ModelStep(steps, trained, env.storedModels(), env.plugins(), metrics, env.json());
        DefenseStep defenseStep = new DefenseStep(steps, new DefenseDataAssembler(env.plugins()), metrics,
                new ModelWriter(env.plugins()));

        recorder.runStarted(provenance.root());
        recorder.log(null, "INFO", "run started by " + job.user() + ": " + p.name());
        RunState s = new RunState(job.runId(), p);
        RunStatus outcome = RunStatus.SUCCEEDED;
        String error = null;
        try {
            new DatasetStep(steps, recorder, provenance).run(s);
            if (p.attack() != null) {
                new AttackStep(steps).run(s);
            }
            modelStep.run(s);
            for (DefensePlan defense : p.defenses()) {
                defenseStep.run(s, defense);
            }
        } catch (StepFailure f) {
            outcome = outcomeOf(f, job);
            error = "step " + (s.step + 1) + " (" + StepPlans.of(p).get(s.step).title() + "): " + f.getMessage();
        } catch (RuntimeException | Error e) {
            LOG.error("run {} failed outside its steps", job.runId(), e);
            outcome = RunStatus.FAILED;
            error = "internal error: " + StepExecutor.describe(e);
        }
        recorder.provenance(provenance.root());
        recorder.log(null, outcome == RunStatus.SUCCEEDED ? "INFO" : "WARN",
                "run " + outcome.name().toLowerCase() + (error == null ? "" : ": " + error));
        recorder.runFinished(outcome, error);
        return outcome;
    }

    /** FAILED for a failed step; for a cancelled one INTERRUPTED when the server is stopping, else CANCELLED. */
    static RunStatus outcomeOf(StepFailure f, RunJob job) {
        if (f.status() != StepStatus.CANCELLED) {
            return RunStatus.FAILED;
        }
        return RunJob.SHUTDOWN.equals(job.cancelReason()) ? RunStatus.INTERRUPTED : RunStatus.CANCELLED;
    }
}
