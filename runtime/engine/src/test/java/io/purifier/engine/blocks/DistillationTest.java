package io.purifier.engine.blocks;

import io.purifier.engine.TestModels;
import io.purifier.engine.eval.Evaluator;
import io.purifier.engine.model.BnMode;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.train.Optimizer;
import io.purifier.engine.train.TrainStep;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The KD loss: value, gradient, and that a student learns the teacher from unlabeled images. */
class DistillationTest {

    @Test
    void loss_value_matches_the_plain_java_kl_divergence_with_t_squared() {
        EngineModel student = TestModels.createDouble("small-cnn", Map.of("width", 2, "hidden", 4), TestModels.spec(1, 8, 3), 1);
        INDArray x = TestModels.randomImages(1, 5, 1, 8, 8).castTo(DataType.DOUBLE);
        INDArray teacher = TestModels.randomImages(2, 5, 3, 1, 1).reshape(5, 3).castTo(DataType.DOUBLE).mul(6).sub(3);
        double value = TestModels.lossValue(student, x, BnMode.EVAL, Distillation.objective(teacher, 4.0, true));
        INDArray studentLogits = student.logits(x);
        assertEquals(Distillation.klDivergence(teacher, studentLogits, 4.0, true), value, 1e-12);
        double unscaled = TestModels.lossValue(student, x, BnMode.EVAL, Distillation.objective(teacher, 4.0, false));
        assertEquals(value / 16.0, unscaled, 1e-12);
        assertEquals(0.0, Distillation.klDivergence(teacher, teacher, 2.0, true), 1e-12);
    }

    @Test
    void loss_gradient_matches_finite_differences() {
        EngineModel student = TestModels.createDouble("small-cnn", Map.of("width", 2, "hidden", 4), TestModels.spec(1, 8, 3), 2);
        INDArray x = TestModels.randomImages(3, 4, 1, 8, 8).castTo(DataType.DOUBLE);
        INDArray teacher = TestModels.randomImages(4, 4, 3, 1, 1).reshape(4, 3).castTo(DataType.DOUBLE).mul(4);
        var loss = Distillation.objective(teacher, 2.0, true);
        INDArray g = TestModels.gradients(student, x, BnMode.EVAL, loss, "fc2/W").get("fc2/W");
        INDArray w = student.array("fc2/W");
        for (long i = 0; i < w.length(); i += 3) {
            double orig = w.getDouble(i);
            w.putScalar(i, orig + 1e-6);
            double up = TestModels.lossValue(student, x, BnMode.EVAL, loss);
            w.putScalar(i, orig - 1e-6);
            double down = TestModels.lossValue(student, x, BnMode.EVAL, loss);
            w.putScalar(i, orig);
            double numeric = (up - down) / 2e-6;
            assertEquals(numeric, g.getDouble(i), 1e-6 + 1e-5 * Math.abs(numeric), "element " + i);
        }
    }

    @Test
    void a_student_distilled_on_unlabeled_images_agrees_with_the_teacher() {
        EngineModel teacher = TestModels.trainedQuadrantCnn(31);
        EngineModel student = TestModels.create("small-cnn", Map.of("width", 4, "hidden", 16), TestModels.spec(1, 12, 3), 32);
        INDArray unlabeled = TestModels.quadrants(33, 240, 12, 3).images();
        INDArray check = TestModels.quadrants(34, 90, 12, 3).images();
        Optimizer opt = Optimizer.sgd(0.9, 0);
        double first = Double.NaN;
        double last = Double.NaN;
        for (int epoch = 0; epoch < 4; epoch++) {
            for (int start = 0; start < 240; start += 32) {
                INDArray x = unlabeled.get(NDArrayIndex.interval(start, Math.min(240, start + 32)));
                last = TrainStep.run(student, x, Distillation.objective(teacher.logits(x), 4.0, true), opt, 0.05).loss();
                if (Double.isNaN(first)) {
                    first = last;
                }
            }
        }
        double agreement = Evaluator.accuracy(Evaluator.predict(student, check), Evaluator.predict(teacher, check));
        assertTrue(agreement > 0.9, "agreement " + agreement);
        assertTrue(last < first, "KD loss " + first + " -> " + last);
    }
}
