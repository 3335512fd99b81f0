package io.purifier.defense.bcu;

import io.purifier.engine.model.BatchNormLayer;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.zoo.InputSpec;
import io.purifier.testkit.TinyModels;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LayerwiseReinitializationTest {

    private static final long TEACHER_SEED = 3;
    private static final long TWIN_SEED = 77;

    @Test
    void preact_resnet_mixes_each_stage_at_its_ratio_with_the_zoo_twin_and_never_touches_batch_norm() {
        InputSpec spec = TinyModels.spec(1, 8, 3);
        Map<String, Object> recipe = Map.of("widthMultiplier", 0.125);
        EngineModel teacher = TinyModels.create("preact-resnet18", recipe, spec, TEACHER_SEED);
        randomizeBatchNorm(teacher);
        EngineModel student = teacher.copy();
        EngineModel twin = TinyModels.create("preact-resnet18", recipe, spec, TWIN_SEED);

        LayerwiseReinitialization.Report report = LayerwiseReinitialization.apply(student, BcuParams.DEFAULT_RATIOS,
                ReinitStages.Mapping.ARCHITECTURE, TwinInitializer.ARCHITECTURE, TWIN_SEED, 1234);

        long[] replaced = new long[6];
        long[] elements = new long[6];
        for (Map.Entry<String, Integer> e : report.layerSlots().entrySet()) {
            for (String p : student.parametersOf(e.getKey())) {
                if (isBatchNorm(student, p)) {
                    continue;
                }
                double[] s = values(student.array(p));
                double[] t = values(teacher.array(p));
                double[] f = values(twin.array(p));
                for (int i = 0; i < s.length; i++) {
                    if (s[i] != t[i]) {
                        assertEquals(f[i], s[i], p + "[" + i + "] changed but not to the twin's value");
                        replaced[e.getValue()]++;
                    }
                }
                elements[e.getValue()] += s.length;
            }
        }
        assertEquals(List.of(0, 1, 1, 1, 1, 2), new ArrayList<>(report.layerSlots().values()).subList(0, 6));
        assertEquals("linear", lastKey(report.layerSlots()));
        for (int slot = 0; slot < 6; slot++) {
            assertEquals(elements[slot], report.elements()[slot], "elements of " + ReinitStages.SLOTS.get(slot));
            assertEquals(replaced[slot], report.replaced()[slot], "replaced in " + ReinitStages.SLOTS.get(slot));
            double p = BcuParams.DEFAULT_RATIOS.get(slot);
            double tolerance = WeightMixerTest.binomialTolerance(elements[slot], p);
            assertTrue(Math.abs(replaced[slot] - elements[slot] * p) <= tolerance, ReinitStages.SLOTS.get(slot)
                    + ": replaced " + replaced[slot] + " of " + elements[slot] + ", expected " + elements[slot] * p
                    + " +- " + tolerance);
        }
        assertTrue(report.replaced()[4] > 0.2 * report.elements()[4], "stage 4 is where most is re-initialized");
        assertBatchNormUnchanged(teacher, student);
    }

    @Test
    void small_cnn_with_batch_norm_keeps_every_batch_norm_value_and_mixes_all_other_parameters() {
        InputSpec spec = TinyModels.spec(1, 12, 3);
        EngineModel teacher = TinyModels.create("small-cnn", Map.of("width", 8, "hidden", 32, "batchNorm", true), spec, 5);
        randomizeBatchNorm(teacher);
        EngineModel student = teacher.copy();
        List<Double> half = List.of(0.5, 0.5, 0.5, 0.5, 0.5, 0.5);
        LayerwiseReinitialization.Report report = LayerwiseReinitialization.apply(student, half,
                ReinitStages.Mapping.ARCHITECTURE, TwinInitializer.REFERENCE, 9, 10);
        assertEquals(List.of("conv1", "conv2", "fc1", "fc2"), new ArrayList<>(report.layerSlots().keySet()));
        assertEquals(List.of(0, 4, 4, 5), new ArrayList<>(report.layerSlots().values()));
        long total = 0;
        for (long e : report.elements()) {
            total += e;
        }
        long expectedTotal = 0;
        for (String p : List.of("conv1/W", "conv2/W", "fc1/W", "fc1/b", "fc2/W", "fc2/b")) {
            expectedTotal += student.array(p).length();
        }
        assertEquals(expectedTotal, total, "every conv and dense weight and bias, nothing else");
        assertTrue(Math.abs(report.replacedFraction() - 0.5) <= WeightMixerTest.binomialTolerance(total, 0.5) / total);
        assertBatchNormUnchanged(teacher, student);
    }

    @Test
    void the_same_seeds_give_the_same_student_and_the_teacher_is_not_modified() {
        InputSpec spec = TinyModels.spec(1, 8, 3);
        EngineModel teacher = TinyModels.create("small-cnn", Map.of("width", 4, "hidden", 8), spec, 2);
        EngineModel before = teacher.copy();
        EngineModel a = teacher.copy();
        EngineModel b = teacher.copy();
        LayerwiseReinitialization.apply(a, BcuParams.DEFAULT_RATIOS, ReinitStages.Mapping.DEPTH, TwinInitializer.REFERENCE, 4, 5);
        LayerwiseReinitialization.apply(b, BcuParams.DEFAULT_RATIOS, ReinitStages.Mapping.DEPTH, TwinInitializer.REFERENCE, 4, 5);
        for (String p : teacher.parameterNames()) {
            assertEquals(a.array(p), b.array(p), p);
            assertEquals(before.array(p), teacher.array(p), p);
        }
    }

    @Test
    void reference_values_are_kaiming_normal_fan_out_for_convolutions_and_the_architecture_default_for_dense_layers() {
        InputSpec spec = TinyModels.spec(1, 12, 3);
        EngineModel student = TinyModels.create("small-cnn", Map.of("width", 16, "hidden", 64), spec, 5);
        List<Double> all = List.of(1.0, 1.0, 1.0, 1.0, 1.0, 1.0);
        LayerwiseReinitialization.apply(student, all, ReinitStages.Mapping.ARCHITECTURE, TwinInitializer.REFERENCE, 9, 10);
        double[] conv2 = values(student.array("conv2/W"));
        double expectedStd = Math.sqrt(2.0 / (32 * 3 * 3));
        assertEquals(expectedStd, std(conv2), 0.05 * expectedStd, "conv2: N(0, 2 / fan_out), fan_out = 32 * 3 * 3");
        double fc1Max = 0;
        for (double v : values(student.array("fc1/W"))) {
            fc1Max = Math.max(fc1Max, Math.abs(v));
        }
        double fc1In = student.array("fc1/W").size(0);
        assertTrue(fc1Max <= 1 / Math.sqrt(fc1In), "fc1 keeps PyTorch's uniform default, max " + fc1Max);
        EngineModel gentle = TinyModels.create("small-cnn", Map.of("width", 16, "hidden", 64), spec, 5);
        LayerwiseReinitialization.apply(gentle, all, ReinitStages.Mapping.ARCHITECTURE, TwinInitializer.ARCHITECTURE, 9, 10);
        double pytorchStd = 1 / Math.sqrt(16 * 9) / Math.sqrt(3);
        assertEquals(pytorchStd, std(values(gentle.array("conv2/W"))), 0.05 * pytorchStd, "architecture: U(+-1/sqrt(fan_in))");
    }

    private static double std(double[] v) {
        double mean = 0;
        for (double x : v) {
            mean += x / v.length;
        }
        double sq = 0;
        for (double x : v) {
            sq += (x - mean) * (x - mean) / v.length;
        }
        return Math.sqrt(sq);
    }

    private static void randomizeBatchNorm(EngineModel m) {
        long seed = 100;
        for (BatchNormLayer bn : m.batchNormLayers()) {
            for (String v : List.of(bn.gamma(), bn.beta(), bn.runningMean(), bn.runningVar())) {
                INDArray arr = m.array(v);
                Nd4j.getRandom().setSeed(seed++);
                m.assign(v, Nd4j.rand(DataType.FLOAT, arr.shape()).addi(0.5).castTo(arr.dataType()));
            }
        }
    }

    private static void assertBatchNormUnchanged(EngineModel teacher, EngineModel student) {
        assertTrue(!teacher.batchNormLayers().isEmpty());
        for (BatchNormLayer bn : teacher.batchNormLayers()) {
            for (String v : List.of(bn.gamma(), bn.beta(), bn.runningMean(), bn.runningVar())) {
                assertEquals(teacher.array(v), student.array(v), v + " must stay the teacher's");
            }
        }
    }

    private static boolean isBatchNorm(EngineModel m, String param) {
        return m.batchNormLayers().stream().anyMatch(bn -> bn.gamma().equals(param) || bn.beta().equals(param));
    }

    private static double[] values(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    private static String lastKey(Map<String, Integer> map) {
        String last = null;
        for (String k : map.keySet()) {
            last = k;
        }
        return last;
    }
}
