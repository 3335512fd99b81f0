package io.purifier.defense.nad;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.ImageSet;
import io.purifier.api.defense.DataContract;
import io.purifier.api.defense.DefenseData;
import io.purifier.api.defense.DefenseResult;
import io.purifier.api.param.InvalidParametersException;
import io.purifier.api.param.ResolvedParams;
import io.purifier.api.run.RunCancelledException;
import io.purifier.engine.eval.Evaluator;
import io.purifier.engine.model.EngineModel;
import io.purifier.testkit.RecordingRunContext;
import io.purifier.testkit.TinyData;
import io.purifier.testkit.TinyModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NadDefenseTest {

    private static final NadDefense DEFENSE = new NadDefense();
    private static EngineModel backdoored;
    private static ImageSet clean;

    @BeforeAll
    static void train() {
        backdoored = TinyModels.backdooredCnn(61, true);
        clean = TinyData.quadrants(62, 60, TinyModels.SIZE, TinyModels.CLASSES);
    }

    @Test
    void declares_five_percent_labeled_clean_data() {
        assertEquals(DataContract.labeledClean(0.05), DEFENSE.dataContract());
        assertEquals("nad", DEFENSE.id());
    }

    @Test
    void fine_tunes_a_teacher_then_distils_the_student_with_curves_for_both_and_a_summary() {
        RecordingRunContext ctx = RecordingRunContext.withProbe(3, m -> Map.of("C-ACC", Evaluator.accuracy(m, clean)));
        DefenseResult result = DEFENSE.purify(backdoored, labeled(clean),
                params(Map.of("teacherEpochs", 2, "epochs", 3, "batchSize", 16, "cropPadding", 1)), ctx);

        EngineModel student = (EngineModel) result.purified();
        assertNotEquals(backdoored.array("conv1/W"), student.array("conv1/W"));
        assertArrayEquals(new double[]{1, 2}, ctx.xs("teacher train/loss"), 0);
        assertArrayEquals(new double[]{1, 2}, ctx.xs("teacher test/C-ACC"), 0);
        assertArrayEquals(new double[]{1, 2, 3}, ctx.xs("student/loss"), 0);
        assertArrayEquals(new double[]{1, 2, 3}, ctx.xs("student/attention pool1"), 0);
        assertArrayEquals(new double[]{1, 2, 3}, ctx.xs("student/attention pool2"), 0);
        assertArrayEquals(new double[]{0.01, 0.01, 0.01}, ctx.ys("student/lr"), 0);
        assertArrayEquals(new double[]{0, 1, 2, 3}, ctx.xs("test/C-ACC"), 0);
        double[] loss = ctx.ys("student/loss");
        double[] ce = ctx.ys("student/cross-entropy");
        double[] a1 = ctx.ys("student/attention pool1");
        double[] a2 = ctx.ys("student/attention pool2");
        for (int e = 0; e < 3; e++) {
            assertEquals(loss[e], ce[e] + a1[e] + a2[e], 1e-5 * loss[e], "the total is CE plus the weighted attention terms");
            assertTrue(a1[e] >= 0 && a2[e] >= 0);
        }
        assertTrue(ctx.logged("nad teacher: epoch 2/2"), ctx.logs().toString());
        assertTrue(ctx.logged("nad: attention on pool1 (beta 1000.0), pool2 (beta 1000.0), p 2.0"), ctx.logs().toString());
        Map<String, Object> s = result.summary();
        assertEquals("pool1, pool2", s.get("layers"));
        assertEquals(2, s.get("teacherEpochs"));
        assertEquals(loss[2], (Double) s.get("finalLoss"), 1e-12);
        assertEquals(a1[2] + a2[2], (Double) s.get("finalAttentionLoss"), 1e-12);
        assertTrue((Double) s.get("defenseDataAccuracyAfter") > 0.8, s.toString());
    }

    @Test
    void without_teacher_epochs_the_input_model_teaches() {
        ResolvedParams p = params(Map.of("teacherEpochs", 0, "epochs", 1, "batchSize", 32, "cropPadding", 0));
        RecordingRunContext ctx = RecordingRunContext.seeded(9);
        DEFENSE.purify(backdoored, labeled(clean), p, ctx);
        assertEquals(0, ctx.xs("teacher train/loss").length);
        assertArrayEquals(new double[]{1}, ctx.xs("student/loss"), 0);
    }

    @Test
    void cancellation_is_honoured_in_the_student_too() {
        RecordingRunContext late = RecordingRunContext.seeded(1).cancelAfter(6);
        assertThrows(RunCancelledException.class, () -> DEFENSE.purify(backdoored, labeled(clean),
                params(Map.of("teacherEpochs", 1, "epochs", 5, "batchSize", 16)), late));
        assertEquals(1, late.xs("teacher train/loss").length, "the teacher finished, the student was stopped");
    }

    @Test
    void refuses_bad_layers_and_data_of_another_class_count() {
        assertEquals("betas", assertThrows(InvalidParametersException.class,
                () -> DEFENSE.purify(backdoored, labeled(clean), params(Map.of("layers", "pool1,pool2", "betas", List.of(1.0))),
                        RecordingRunContext.seeded(1))).parameter());
        ImageSet fourClasses = TinyData.quadrants(1, 8, TinyModels.SIZE, 4);
        assertTrue(assertThrows(InvalidInputException.class, () -> DEFENSE.purify(backdoored, labeled(fourClasses),
                params(Map.of()), RecordingRunContext.seeded(1))).getMessage().contains("4 classes but the model has 3"));
    }

    static DefenseData labeled(ImageSet set) {
        return new DefenseData(set, null, set.size() + " clean test images");
    }

    static ResolvedParams params(Map<String, ?> raw) {
        return DEFENSE.parameters().resolve(raw);
    }
}
