package io.purifier.defense.bcu;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.ImageSet;
import io.purifier.api.defense.DataContract;
import io.purifier.api.defense.DefenseData;
import io.purifier.api.defense.DefenseResult;
import io.purifier.api.param.InvalidParametersException;
import io.purifier.api.param.ResolvedParams;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BcuDefenseTest {

    private static final BcuDefense DEFENSE = new BcuDefense();
    private static EngineModel teacher;
    private static ImageSet unlabeledSource;
    private static ImageSet check;

    @BeforeAll
    static void train_a_tiny_teacher() {
        teacher = TinyModels.cleanCnn(21, false);
        unlabeledSource = TinyData.quadrants(22, 96, 12, 3);
        check = TinyData.quadrants(23, 60, 12, 3);
        assertTrue(Evaluator.accuracy(teacher, check) > 0.9, "the tiny teacher must have learnt the task");
    }

    @Test
    void declares_ten_percent_unlabeled_data_that_may_come_from_another_dataset() {
        assertEquals(DataContract.unlabeled(0.10, true), DEFENSE.dataContract());
        assertEquals("bcu", DEFENSE.id());
    }

    @Test
    void refuses_labeled_data_and_names_it() {
        DefenseData labeled = new DefenseData(unlabeledSource, null, "48 clean labeled training images");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> DEFENSE.purify(teacher, labeled, params(Map.of()), RecordingRunContext.seeded(1)));
        assertTrue(e.getMessage().contains("refuses labeled data"), e.getMessage());
        assertTrue(e.getMessage().contains("48 clean labeled training images"), e.getMessage());
        InvalidInputException none = assertThrows(InvalidInputException.class,
                () -> DEFENSE.purify(teacher, new DefenseData(null, null, "none"), params(Map.of()), RecordingRunContext.seeded(1)));
        assertTrue(none.getMessage().contains("needs unlabeled images"), none.getMessage());
    }

    @Test
    void rejects_a_ratio_list_that_is_not_six_long_naming_the_parameter() {
        InvalidParametersException e = assertThrows(InvalidParametersException.class,
                () -> DEFENSE.purify(teacher, unlabeled(unlabeledSource), params(Map.of("reinitRatios", List.of(0.1, 0.2))),
                        RecordingRunContext.seeded(1)));
        assertEquals("reinitRatios", e.parameter());
        assertEquals("reinitRatios", assertThrows(InvalidParametersException.class,
                () -> params(Map.of("reinitRatios", List.of(0.1, 0.2, 0.3, 0.4, 0.5, 1.5)))).parameter());
    }

    @Test
    void purifies_end_to_end_on_tiny_unlabeled_data() {
        RecordingRunContext ctx = RecordingRunContext.withProbe(7, model -> Map.of("C-ACC", Evaluator.accuracy(model, check), "ASR", 0.5));
        ResolvedParams params = params(Map.of("epochs", 3, "batchSize", 32, "learningRate", 0.02, "cropPadding", 1));

        DefenseResult result = DEFENSE.purify(teacher, unlabeled(unlabeledSource), params, ctx);

        EngineModel purified = (EngineModel) result.purified();
        assertNotSame(teacher, purified);
        assertEquals(teacher.info().inputShape(), purified.info().inputShape());
        assertTrue(purified.frozenParameters().isEmpty(), "no training-only frozen set left in the result");
        assertFalse(teacher.array("fc1/W").equals(purified.array("fc1/W")), "the student must differ from the teacher");

        assertArrayEquals(new double[]{2.0, 3.0, 4.0}, ctx.ys("schedule/temperature"), 1e-12);
        assertArrayEquals(new double[]{1, 2, 3}, ctx.xs("loss/KL"), 0);
        assertArrayEquals(new double[]{0, 1, 2, 3}, ctx.xs("agreement/unlabeled"), 0);
        assertArrayEquals(new double[]{0.02, 0.015, 0.005}, ctx.ys("schedule/learning rate"), 1e-12);
        assertArrayEquals(new double[]{0, 3}, ctx.xs("test/C-ACC"), 0, "probe after re-initialization and at the end");
        assertEquals(2, ctx.probeCalls());
        for (double kl : ctx.ys("loss/KL")) {
            assertTrue(kl >= 0 && kl < 1, "KL " + kl);
        }

        Map<String, Object> s = result.summary();
        assertEquals(96, s.get("unlabeledImages"));
        assertEquals(3, s.get("epochs"));
        assertEquals(4.0, (Double) s.get("finalTemperature"), 1e-12);
        double topShare = (Double) s.get("teacherTopShare");
        assertTrue(topShare > 0 && topShare <= 0.5, "a balanced source: the teacher's largest class share " + topShare);
        assertTrue(ctx.logs().stream().anyMatch(l -> l.startsWith("bcu: the teacher's labels of the unlabeled images")), "histogram logged");
        assertTrue(ctx.logs().stream().noneMatch(l -> l.startsWith("WARN bcu: the teacher assigns")), "no warning for a balanced source");
        double[] agreement = ctx.ys("agreement/unlabeled");
        assertEquals(agreement[3], (Double) s.get("finalAgreement"), 1e-12);
        double clean = Evaluator.accuracy(purified, check);
        assertTrue(clean > 0.85, "the distilled student keeps the teacher's clean accuracy, got " + clean);
        assertTrue(agreement[3] > 0.85, "agreement with the teacher " + agreement[3]);
    }

    private static DefenseData unlabeled(ImageSet set) {
        return new DefenseData(null, set.withoutLabels(), set.size() + " unlabeled test images");
    }

    private static ResolvedParams params(Map<String, ?> raw) {
        return DEFENSE.parameters().resolve(raw);
    }
}
