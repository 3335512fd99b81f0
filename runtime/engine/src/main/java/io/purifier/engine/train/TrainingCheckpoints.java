package io.purifier.engine.train;

import io.purifier.api.run.RunContext;
import io.purifier.engine.model.EngineModel;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;

/**
 * Where a {@link Trainer} keeps its state at the end of epochs, so that a training that was stopped (a killed
 * worker, a restarted machine, a cancelled run, a step timeout) resumes after the last saved epoch instead of from
 * the start, and ends with the weights an uninterrupted training would have had, bit for bit.
 *
 * <p>A checkpoint holds the model's arrays (batch-norm running statistics included), the optimizer's state, the
 * random generator, the image order and the statistics and probe values of the epochs done; resuming replays those
 * as the run's curves. It is written after an epoch when at least {@code minInterval} has passed since the training
 * started or last saved (never after the last epoch), atomically, and is used only by a training with the same
 * fingerprint, configuration, number of images and model arrays: anything else (or a damaged file) is a warning and
 * a training from the start. The caller deletes it ({@link #discard}) once the trained model is stored.</p>
 */
public final class TrainingCheckpoints {

    /**
     * What a checkpoint file holds, for listings.
     *
     * @param fingerprint what training it belongs to
     * @param origin      who saved it (e.g. {@code run 17})
     * @param epochsDone  epochs completed
     * @param epochs      epochs of the whole training
     * @param savedAt     when it was written
     */
    public record Summary(String fingerprint, String origin, int epochsDone, int epochs, Instant savedAt) {
    }

    private static final TrainingCheckpoints NONE = new TrainingCheckpoints(null, null, Duration.ZERO, null);

    private final Path file;
    private final String fingerprint;
    private final Duration minInterval;
    private final String origin;
    private long lastSaveNanos;
    private boolean failedBefore;

    private TrainingCheckpoints(Path file, String fingerprint, Duration minInterval, String origin) {
        this.file = file;
        this.fingerprint = fingerprint;
        this.minInterval = minInterval;
        this.origin = origin;
    }

    /** No checkpoints: the training always starts from the beginning. */
    public static TrainingCheckpoints none() {
        return NONE;
    }

    /**
     * Checkpoints in {@code file}.
     *
     * @param file        the checkpoint file (its directory is created when needed)
     * @param fingerprint identifies the training (recipe, data, attack, seed, trainer version); a checkpoint with
     *                    another fingerprint is not used
     * @param minInterval the least time between two saves ({@link Duration#ZERO}: after every epoch but the last)
     * @param origin      who trains (e.g. {@code run 17}), recorded in the checkpoint for messages
     */
    public static TrainingCheckpoints inFile(Path file, String fingerprint, Duration minInterval, String origin) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(fingerprint, "fingerprint");
        if (minInterval.isNegative()) {
            throw new IllegalArgumentException("minInterval must not be negative, got " + minInterval);
        }
        return new TrainingCheckpoints(file, fingerprint, minInterval, origin == null ? "" : origin);
    }

    /** Whether checkpoints are kept. */
    public boolean enabled() {
        return file != null;
    }

    /** The checkpoint file's summary, or empty when there is none or it cannot be read. */
    public static Optional<Summary> describe(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            CheckpointState s = CheckpointFile.readState(file);
            return Optional.of(new Summary(s.fingerprint(), s.origin(), s.epochsDone(), s.totalEpochs(), Instant.parse(s.savedAt())));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Deletes the checkpoint file, if any (a file that cannot be deleted is left). */
    public void discard() {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // left for the next training of the same fingerprint to overwrite
            }
        }
    }

    /** A training state restored from a checkpoint: the optimizer to go on with and what the trainer needs. */
    record Resumed(CheckpointState state, Optimizer optimizer, Random random) {
    }

    /**
     * Restores the checkpoint into {@code model} when there is a usable one: checks everything before changing the
     * model, so a checkpoint that does not fit leaves it untouched (and is a warning).
     */
    Optional<Resumed> resume(EngineModel model, TrainingConfig cfg, int trainSize, RunContext ctx) {
        if (file == null) {
            return Optional.empty();
        }
        lastSaveNanos = System.nanoTime();
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        CheckpointFile.Contents contents;
        try {
            contents = CheckpointFile.read(file);
        } catch (IOException | RuntimeException e) {
            ctx.warn("the training checkpoint " + file.getFileName() + " cannot be read (" + e.getMessage()
                    + "); training from the start");
            return Optional.empty();
        }
        try {
            CheckpointState s = contents.state();
            String mismatch = mismatch(s, cfg, trainSize, model, contents.model());
            if (mismatch != null) {
                ctx.warn("the training checkpoint " + file.getFileName() + " is not for this training (" + mismatch
                        + "); training from the start");
                return Optional.empty();
            }
            Optimizer optimizer = cfg.newOptimizer();
            Random random;
            try {
                optimizer.readState(new DataInputStream(new ByteArrayInputStream(contents.optimizer())), model);
                random = deserialize(s.random());
            } catch (IOException | RuntimeException e) {
                ctx.warn("the training checkpoint " + file.getFileName() + " is damaged (" + e.getMessage()
                        + "); training from the start");
                return Optional.empty();
            }
            for (String name : contents.model().arrays().names()) {
                model.assign(name, contents.model().array(name));
            }
            ctx.log("resuming from the training checkpoint saved after epoch " + s.epochsDone() + "/" + cfg.epochs()
                    + " at " + s.savedAt() + (s.origin().isEmpty() ? "" : " by " + s.origin()) + "; "
                    + (cfg.epochs() - s.epochsDone()) + " epochs to go");
            return Optional.of(new Resumed(s, optimizer, random));
        } finally {
            contents.model().arrays().entries().values().forEach(e -> e.array().close());
        }
    }

    private String mismatch(CheckpointState s, TrainingConfig cfg, int trainSize, EngineModel model, EngineModel saved) {
        if (!fingerprint.equals(s.fingerprint())) {
            return "another fingerprint";
        }
        if (!cfg.toString().equals(s.config())) {
            return "saved with " + s.config() + ", this training is " + cfg;
        }
        if (trainSize != s.trainSize() || s.order().length != trainSize) {
            return "saved for " + s.trainSize() + " training images, this training has " + trainSize;
        }
        if (s.epochsDone() < 1 || s.epochsDone() >= cfg.epochs() || s.totalEpochs() != cfg.epochs()) {
            return "saved after epoch " + s.epochsDone() + " of " + s.totalEpochs() + ", this training has "
                    + cfg.epochs();
        }
        if (s.epochs().size() != s.epochsDone() || s.probes().size() != s.epochsDone()) {
            return "it holds the statistics of " + s.epochs().size() + " epochs but says " + s.epochsDone() + " are done";
        }
        List<String> expected = new ArrayList<>(model.arrays().names());
        List<String> found = new ArrayList<>(saved.arrays().names());
        expected.sort(null);
        found.sort(null);
        if (!expected.equals(found)) {
            return "its model has arrays " + found + ", this one " + expected;
        }
        for (String name : expected) {
            INDArray a = model.array(name);
            INDArray b = saved.array(name);
            if (!Arrays.equals(a.shape(), b.shape()) || a.dataType() != b.dataType()) {
                return "array '" + name + "' is " + b.dataType() + Arrays.toString(b.shape()) + " there, "
                        + a.dataType() + Arrays.toString(a.shape()) + " here";
            }
        }
        return null;
    }

    /**
     * Saves the state after {@code state.epochsDone()} epochs when checkpoints are kept, the training is not over and
     * the interval has passed. A save that fails is a warning; the training goes on.
     */
    void saveIfDue(int epochs, EngineModel model, Optimizer optimizer, Random random, int[] order, List<EpochStats> stats,
                   List<Map<String, Double>> probes, TrainingConfig cfg, RunContext ctx) {
        int done = stats.size();
        if (file == null || done >= epochs || System.nanoTime() - lastSaveNanos < minInterval.toNanos()) {
            return;
        }
        long start = System.nanoTime();
        try {
            CheckpointState state = new CheckpointState(fingerprint, origin, cfg.toString(), order.length, done,
                    epochs, serialize(random), order.clone(), List.copyOf(stats), List.copyOf(probes), Instant.now().toString());
            CheckpointFile.write(file, state, model, optimizer);
            lastSaveNanos = System.nanoTime();
            ctx.log(String.format(java.util.Locale.ROOT, "saved the training checkpoint after epoch %d/%d (%.1f s, %.1f MB)",
                    done, epochs, (lastSaveNanos - start) / 1e9, Files.size(file) / 1e6));
        } catch (IOException | RuntimeException e) {
            lastSaveNanos = System.nanoTime();
            if (!failedBefore) {
                ctx.warn("could not save the training checkpoint " + file.getFileName() + " (" + e.getMessage()
                        + "); training goes on, an interruption would start it again");
            }
            failedBefore = true;
        }
    }

    private static byte[] serialize(Random random) throws IOException {
        if (random.getClass() != Random.class) {
            throw new IOException("the run's random generator is a " + random.getClass().getName()
                    + ", only a java.util.Random can be saved");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(random);
        }
        return bytes.toByteArray();
    }

    private static Random deserialize(byte[] bytes) throws IOException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            protected Class<?> resolveClass(java.io.ObjectStreamClass desc) throws IOException, ClassNotFoundException {
                if (!desc.getName().equals(Random.class.getName()) && !desc.getName().startsWith("java.lang.")) {
                    throw new java.io.InvalidClassException(desc.getName(), "not a java.util.Random");
                }
                return super.resolveClass(desc);
            }
        }) {
            return (Random) in.readObject();
        } catch (ClassNotFoundException e) {
            throw new IOException("the random generator's state is not a java.util.Random", e);
        }
    }
}
