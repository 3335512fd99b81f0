package io.purifier.defense.sau;

import io.purifier.api.data.ImageSet;
import io.purifier.engine.TestModels;
import io.purifier.engine.model.EngineModel;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SharedPgdTest {

    private static final EngineModel MODEL = TestModels.trainedQuadrantCnn(11);
    private static final ImageSet DATA = TestModels.quadrants(12, 24, 12, 3);

    private static SauParams params(Map<String, ?> raw) {
        return SauParams.from(SauParams.DESCRIPTOR.resolve(raw));
    }

    @Test
    void stays_in_the_l_inf_box_and_stops_once_every_image_is_shared() {
        SharedPgd.Result r = SharedPgd.attack(MODEL, MODEL, DATA.images(), DATA.labels(), params(Map.of("advSteps", 10)),
                new Random(1));
        INDArray p = r.perturbation();
        assertTrue(p.amaxNumber().doubleValue() <= 0.2 + 1e-6, "|perturbation| <= 0.2");
        assertTrue(r.steps() >= 1 && r.steps() <= 10);
        if (r.steps() < 10) {
            assertEquals(24, r.shared(), "an early stop means every image was shared");
        }
        assertTrue(r.shared() > 0, "a model and its identical copy share every success: " + r.shared());
    }

    @Test
    void is_reproducible_and_leaves_the_images_alone() {
        INDArray before = DATA.images().dup();
        SauParams p = params(Map.of("pgdInit", "random", "normType", "L2", "triggerNorm", 1.0));
        SharedPgd.Result a = SharedPgd.attack(MODEL, MODEL, DATA.images(), DATA.labels(), p, new Random(4));
        SharedPgd.Result b = SharedPgd.attack(MODEL, MODEL, DATA.images(), DATA.labels(), p, new Random(4));
        assertEquals(a.perturbation(), b.perturbation());
        assertEquals(before, DATA.images());
        for (int i = 0; i < 24; i++) {
            assertTrue(a.perturbation().slice(i).norm2Number().doubleValue() <= 1.0 + 1e-5, "L2 ball of image " + i);
        }
    }
}
