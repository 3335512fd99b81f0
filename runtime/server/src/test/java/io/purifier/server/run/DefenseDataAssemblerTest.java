package io.purifier.server.run;

import io.purifier.api.PluginKind;
import io.purifier.api.data.DatasetProvider;
import io.purifier.api.data.Augmentation;
import io.purifier.api.data.DatasetSplits;
import io.purifier.api.data.ImageSet;
import io.purifier.api.data.Normalization;
import io.purifier.api.defense.DataContract;
import io.purifier.api.defense.DefenseData;
import io.purifier.server.pipeline.ValidatedPipeline.DefensePlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

class DefenseDataAssemblerTest {

    @TempDir
    Path dir;

    private RunState state() {
        RunState s = new RunState(1, RunFixtures.pipeline(RunFixtures.resolved("tiny"), null, null, List.of(), List.of()));
        s.data = RunFixtures.splits(30, 6);
        s.cleanTrain = RunFixtures.images(24);
        s.heldOut = RunFixtures.images(6);
        s.model = new RunFixtures.PixelModel(0);
        return s;
    }

    private StepContext ctx() {
        return new StepContext(3, 42, dir, new RunFixtures.RecordingRecorder(), null, null, f -> { });
    }

    private static DefensePlan plan(DataContract contract, double fraction, String oodDataset) {
        return new DefensePlan(RunFixtures.resolved("d"), contract, fraction,
                oodDataset == null ? null : RunFixtures.resolved(oodDataset));
    }

    @Test
    void out_of_distribution_draws_are_capped_at_the_largest_class_balanced_subset() {
        int[] labels = {0, 0, 0, 1, 1, 2, 2, 2, 2};
        ImageSet set = new ImageSet(Nd4j.zeros(labels.length, 1, 2, 2), labels, List.of("a", "b", "c"));
        assertEquals(6, DefenseDataAssembler.balancedCapacity(set), "3 classes x the smallest class (2 images)");
    }

    @Test
    void labeled_clean_data_is_a_class_balanced_fraction_of_the_clean_training_images() throws Exception {
        DefenseData data = new DefenseDataAssembler(new RunFixtures.FakePlugins())
                .assemble(state(), plan(DataContract.labeledClean(0.5), 0.5, null), ctx());
        assertEquals(12, data.labeled().size());
        assertNull(data.unlabeled());
        assertTrue(data.description().startsWith("12 clean labeled training images (50.0%, class-balanced, seed "), data.description());
    }

    @Test
    void unlabeled_in_distribution_data_is_the_held_out_images_without_labels() throws Exception {
        DefenseData data = new DefenseDataAssembler(new RunFixtures.FakePlugins())
                .assemble(state(), plan(DataContract.unlabeled(0.2, false), 0.2, null), ctx());
        assertNull(data.labeled());
        assertEquals(6, data.unlabeled().size());
        assertEquals("6 unlabeled held-out training images (20.0%, never used for training)", data.description());
    }

    @Test
    void out_of_distribution_images_come_from_the_other_dataset_resized_to_the_model_input() throws Exception {
        DatasetProvider other = mock(DatasetProvider.class);
        ImageSet big = new ImageSet(Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 12, 3, 4, 4),
                new int[]{0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1}, List.of("x", "y"));
        when(other.load(any(), any())).thenReturn(new DatasetSplits("digits", "h", big, big, Normalization.identity(3), Augmentation.none()));
        RunFixtures.FakePlugins plugins = new RunFixtures.FakePlugins().add(PluginKind.DATASET, "digits", other);
        DefenseData data = new DefenseDataAssembler(plugins)
                .assemble(state(), plan(DataContract.unlabeled(0.2, true), 0.2, "digits"), ctx());
        assertEquals(6, data.unlabeled().size(), "20 % of the 30 training images");
        assertEquals(List.of(6L, 1L, 2L, 2L), List.of(data.unlabeled().images().shape()[0], data.unlabeled().images().shape()[1],
                data.unlabeled().images().shape()[2], data.unlabeled().images().shape()[3]));
        assertEquals("6 unlabeled images from digits (out of distribution), resized to 1x2x2", data.description());
    }

    @Test
    void a_removed_out_of_distribution_dataset_is_named() {
        DefenseDataAssembler assembler = new DefenseDataAssembler(new RunFixtures.FakePlugins());
        Exception e = assertThrows(Exception.class,
                () -> assembler.assemble(state(), plan(DataContract.unlabeled(0.2, true), 0.2, "digits"), ctx()));
        assertEquals("dataset 'digits' for unlabeled data is no longer installed", e.getMessage());
    }

    @Test
    void a_data_free_defense_gets_nothing() throws Exception {
        DefenseData data = new DefenseDataAssembler(new RunFixtures.FakePlugins())
                .assemble(state(), plan(DataContract.none(), 0, null), ctx());
        assertNull(data.labeled());
        assertNull(data.unlabeled());
    }
}
