package io.purifier.server;

import io.purifier.api.InvalidInputException;
import io.purifier.api.attack.TrainingHook;
import io.purifier.api.data.DatasetSplits;
import io.purifier.api.data.ImageSet;
import io.purifier.api.model.Model;
import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ResolvedParams;
import io.purifier.api.run.RunContext;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.model.NativeModelFile;
import io.purifier.engine.train.Trainer;
import io.purifier.engine.train.TrainingCheckpoints;
import io.purifier.engine.train.TrainingConfig;
import io.purifier.engine.zoo.Architecture;
import io.purifier.engine.zoo.InputSpec;
import io.purifier.engine.zoo.ModelZoo;
import io.purifier.server.pipeline.CheckpointPlan;
import io.purifier.server.pipeline.ModelTrainer;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The pipeline's {@link ModelTrainer}, backed by the engine's model zoo, trainer and native model file. */
public final class EngineModelTrainer implements ModelTrainer {

    /** Bump when training semantics change, so cached models are not reused across incompatible trainers. */
    static final String VERSION = "engine-3";

    private EngineModelTrainer() {
    }

    /** A trainer backed by the engine (what the CLI and the tests start the server with). */
    public static ModelTrainer create() {
        return new EngineModelTrainer();
    }

    @Override
    public List<ArchitectureInfo> architectures() {
        return ModelZoo.architectures().stream()
                .map(a -> new ArchitectureInfo(a.id(), a.name(), a.description(), a.parameters())).toList();
    }

    @Override
    public ParamDescriptor trainingParameters() {
        return TrainingConfig.DESCRIPTOR;
    }

    @Override
    public Model train(String architecture, ResolvedParams archParams, ResolvedParams training, DatasetSplits data,
                       ImageSet train, TrainingHook hook, RunContext ctx, CheckpointPlan checkpoints) throws Exception {
        Architecture arch = ModelZoo.architecture(architecture);
        EngineModel model = arch.create(archParams, InputSpec.of(train, data.normalization()), ctx.seed());
        ctx.log("training " + architecture + " on " + train.size() + " images of " + data.datasetId()
                + (hook == null ? "" : " with a training-controlled attack hook"));
        TrainingCheckpoints saves = checkpoints == null ? TrainingCheckpoints.none()
                : TrainingCheckpoints.inFile(checkpoints.file(), checkpoints.fingerprint(), checkpoints.minInterval(),
                checkpoints.origin());
        Trainer.train(model, train, TrainingConfig.augmentation(training, data.augmentation()), hook,
                TrainingConfig.from(training), ctx, saves);
        return model;
    }

    @Override
    public Optional<CheckpointPlan.Summary> describeCheckpoint(String key, Path file) {
        return TrainingCheckpoints.describe(file).map(s -> new CheckpointPlan.Summary(key, s.origin(), s.epochsDone(),
                s.epochs(), s.savedAt(), file.toFile().length()));
    }

    @Override
    public void save(Model model, Path file) throws Exception {
        if (!(model instanceof EngineModel engineModel)) {
            throw new InvalidInputException("only engine models can be cached; got " + model.getClass().getName());
        }
        NativeModelFile.save(engineModel, file);
    }

    @Override
    public Model load(Path file) throws Exception {
        return NativeModelFile.load(file);
    }

    @Override
    public String version() {
        return VERSION;
    }
}
