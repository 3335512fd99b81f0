package io.purifier.server.run;

import io.purifier.api.InvalidInputException;
import io.purifier.api.attack.PoisonedData;
import io.purifier.api.data.Augmentation;
import io.purifier.api.data.DatasetSplits;
import io.purifier.api.data.ImageSet;
import io.purifier.api.data.Normalization;
import io.purifier.engine.TestModels;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.robustness.RetuneConfig;
import io.purifier.server.pipeline.ValidatedPipeline;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The retuning measurement of a step: a clean model (which ignores the trigger, so its ASR is low) gets the backdoor
 * planted by the retuning attack, and the step records that as a high P-ASR, without the model itself changing.
 */
class RetuningMeasurementTest {

    private static final int SIZE = 12;
    private static final int STEP = 3;
    private static EngineModel clean;
    private static PoisonedData poisoned;
    private static ImageSet test;

    @TempDir
    Path dir;
    final RunFixtures.RecordingRecorder recorder = new RunFixtures.RecordingRecorder();

    @BeforeAll
    static void data() {
        clean = TestModels.trainedQuadrantCnn(7);
        ImageSet train = TestModels.quadrants(8, 300, SIZE, 3);
        int[] poison = IntStream.range(0, 60).map(i -> 5 * i).toArray();
        INDArray trainImages = train.images().dup();
        INDArray triggered = TestModels.withCornerTrigger(train.images());
        int[] labels = train.labels();
        for (int i : poison) {
            trainImages.putSlice(i, triggered.slice(i));
            labels[i] = 0;
        }
        test = TestModels.quadrants(9, 90, SIZE, 3);
        int[] nonTarget = IntStream.range(0, test.size()).filter(i -> test.label(i) != 0).toArray();
        ImageSet poisonedTest = new ImageSet(TestModels.withCornerTrigger(test.subset(nonTarget).images()),
                test.subset(nonTarget).labels(), test.classNames());
        poisoned = new PoisonedData(new ImageSet(trainImages, labels, train.classNames()), poison, poisonedTest,
                new int[nonTarget.length], null, List.of());
    }

    private RunState state(RetuneConfig retune) {
        ValidatedPipeline p = new ValidatedPipeline("p", 42, RunFixtures.resolved("quadrants"), null,
                RunFixtures.resolved("corner"), List.of(), List.of(), Duration.ofMinutes(5), retune);
        RunState s = new RunState(1, p);
        s.data = new DatasetSplits("quadrants", "h", test, test, Normalization.identity(1), Augmentation.none());
        s.poisoned = poisoned;
        s.step = STEP;
        return s;
    }

    private StepContext ctx() {
        return new StepContext(STEP, 42, dir, recorder, null, null, f -> { });
    }

    @Test
    void a_model_that_ignores_the_trigger_learns_it_from_the_retuning_set_and_the_step_records_p_asr() {
        double asr = TestModels.shareOf(clean, poisoned.poisonedTest().images(), 0);
        INDArray weightsBefore = clean.array("conv1/W").dup();

        new RetuningMeasurement(recorder).measure(state(new RetuneConfig(200, 0.3, 5, 0.05, 0.9, 20)), clean,
                "purified model", ctx());

        double pAsr = recorder.metrics.get(STEP + ":P-ASR");
        double pCleanAccuracy = recorder.metrics.get(STEP + ":P-C-ACC");
        assertTrue(asr < 0.3, "the clean model ignores the corner patch: ASR " + asr);
        assertTrue(pAsr > 0.8, "the retuning attack plants it in the copy: ASR " + asr + " -> P-ASR " + pAsr);
        assertTrue(pCleanAccuracy > 0.8, "the copy still does the task: P-C-ACC " + pCleanAccuracy);
        assertEquals(weightsBefore, clean.array("conv1/W"), "the step's model itself is not changed");
        assertTrue(recorder.calls.contains("curve " + STEP + " retune/train/loss"), "its curves go under retune/: "
                + recorder.calls);
        assertTrue(recorder.logs.stream().anyMatch(l -> l.contains("retuning attack on the purified model: 200 images (60 poisoned)")),
                recorder.logs.toString());
    }

    @Test
    void the_same_seed_draws_the_same_set_so_a_repeat_gives_the_same_numbers() {
        RetuneConfig cfg = new RetuneConfig(60, 0.2, 1, 0.01, 0.9, 20);
        new RetuningMeasurement(recorder).measure(state(cfg), clean, "purified model", ctx());
        double first = recorder.metrics.get(STEP + ":P-ASR");
        double firstAccuracy = recorder.metrics.get(STEP + ":P-C-ACC");
        recorder.metrics.clear();
        new RetuningMeasurement(recorder).measure(state(cfg), clean, "purified model", ctx());
        assertEquals(first, recorder.metrics.get(STEP + ":P-ASR"));
        assertEquals(firstAccuracy, recorder.metrics.get(STEP + ":P-C-ACC"));
    }

    @Test
    void without_the_setting_nothing_is_measured() {
        new RetuningMeasurement(recorder).measure(state(null), clean, "purified model", ctx());
        assertEquals(List.of(), List.copyOf(recorder.metrics.keySet()));
    }

    @Test
    void a_model_outside_the_engine_is_refused_by_name() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> new RetuningMeasurement(recorder)
                .measure(state(RetuneConfig.DEFAULTS), new RunFixtures.PixelModel(0), "purified model", ctx()));
        assertEquals("the retuning attack fine-tunes models of Purifier's engine; the purified model is a PixelModel",
                e.getMessage());
    }

    @Test
    void share_counts_agreement() {
        assertEquals(0.75, RetuningMeasurement.share(new int[]{0, 1, 2, 0}, new int[]{0, 1, 2, 1}));
        assertThrows(IllegalStateException.class, () -> RetuningMeasurement.share(new int[0], new int[0]));
    }
}
