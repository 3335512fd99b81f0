package io.purifier.server.pipeline;

import io.purifier.api.attack.TrainingHook;
import io.purifier.api.data.DatasetSplits;
import io.purifier.api.data.ImageSet;
import io.purifier.api.model.Model;
import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ResolvedParams;
import io.purifier.api.run.RunContext;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Trains models from a recipe (zoo architecture + training parameters), and saves/loads trained models for the
 * attack cache. The engine provides the implementation; the pipeline only sees this.
 */
public interface ModelTrainer {

    /**
     * A zoo architecture as the API lists it.
     *
     * @param id          architecture id
     * @param name        human name
     * @param description description
     * @param parameters  its parameters
     */
    record ArchitectureInfo(String id, String name, String description, ParamDescriptor parameters) {
    }

    /** The architectures that can be trained. */
    List<ArchitectureInfo> architectures();

    /** The architecture named {@code id}. */
    default Optional<ArchitectureInfo> architecture(String id) {
        return architectures().stream().filter(a -> a.id().equals(id)).findFirst();
    }

    /** The training parameters (optimizer, learning rate, epochs, ...). */
    ParamDescriptor trainingParameters();

    /**
     * Builds the architecture for the data's shape and trains it.
     *
     * @param architecture the architecture id
     * @param archParams   its resolved parameters
     * @param training     resolved training parameters
     * @param data         the dataset (shape, classes, normalization, augmentation)
     * @param train        the (possibly poisoned) training images
     * @param hook         per-batch hook of a training-controlled attack, or null
     * @param ctx          the step's context (seed, progress, curves, cancellation)
     * @param checkpoints  where the training saves its state at epoch ends and resumes from, or null for nowhere
     * @return the trained model
     */
    Model train(String architecture, ResolvedParams archParams, ResolvedParams training, DatasetSplits data,
                ImageSet train, TrainingHook hook, RunContext ctx, CheckpointPlan checkpoints) throws Exception;

    /**
     * What a checkpoint file written by {@link #train} holds; empty when there is none or it cannot be read.
     *
     * @param key the attack-cache key it was saved under
     */
    Optional<CheckpointPlan.Summary> describeCheckpoint(String key, Path file);

    /** Saves a model this trainer produced (for the attack cache). */
    void save(Model model, Path file) throws Exception;

    /** Loads a model saved by {@link #save}. */
    Model load(Path file) throws Exception;

    /** A version string of the training code, part of cache keys (changes invalidate cached models). */
    String version();
}
