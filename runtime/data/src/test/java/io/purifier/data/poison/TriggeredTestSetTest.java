package io.purifier.data.poison;

import io.purifier.api.data.ImageSet;
import io.purifier.data.testing.FakeRunContext;
import io.purifier.data.testing.TinyData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class TriggeredTestSetTest {

    @TempDir
    Path dir;

    /** Adds 1 to every pixel. */
    private static final UnaryOperator<float[]> PLUS_ONE = image -> {
        float[] out = image.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += 1f;
        }
        return out;
    };

    private static float[] plusOne(float[] image) {
        return PLUS_ONE.apply(image);
    }

    @Test
    void all_to_one_triggers_every_image_outside_the_target_class_keeping_original_labels() {
        ImageSet test = TinyData.images(6, 2, 3, 3, 3, 2);
        float[] before = test.images().dup('c').data().asFloat();

        TriggeredTestSet triggered = TriggeredTestSet.of(test, LabelMode.ALL_TO_ONE, 1, PLUS_ONE,
                new FakeRunContext(1L, dir));

        int[] sources = {0, 2, 3, 5};
        assertEquals(4, triggered.size());
        assertArrayEquals(new int[] {0, 2, 0, 2}, triggered.images().labels());
        assertArrayEquals(new int[] {1, 1, 1, 1}, triggered.targets());
        assertEquals(test.classNames(), triggered.images().classNames());
        for (int n = 0; n < sources.length; n++) {
            assertArrayEquals(plusOne(TinyData.pixels(test, sources[n])), TinyData.pixels(triggered.images(), n));
        }
        assertArrayEquals(before, test.images().dup('c').data().asFloat(), "the input set is not written");
    }

    @Test
    void all_to_all_triggers_every_image_with_the_next_class_as_target() {
        ImageSet test = TinyData.images(5, 1, 2, 2, 3, 2);
        TriggeredTestSet triggered = TriggeredTestSet.of(test, LabelMode.ALL_TO_ALL, 0, PLUS_ONE,
                new FakeRunContext(1L, dir));
        assertArrayEquals(new int[] {0, 1, 2, 0, 1}, triggered.images().labels());
        assertArrayEquals(new int[] {1, 2, 0, 1, 2}, triggered.targets());
        assertArrayEquals(plusOne(TinyData.pixels(test, 4)), TinyData.pixels(triggered.images(), 4));
    }

    @Test
    void an_empty_set_warns_that_asr_cannot_be_measured() {
        ImageSet onlyTarget = TinyData.images(1, 1, 2, 2, 3, 2);
        FakeRunContext ctx = new FakeRunContext(1L, dir);
        TriggeredTestSet triggered = TriggeredTestSet.of(onlyTarget, LabelMode.ALL_TO_ONE, 0, PLUS_ONE, ctx);
        assertEquals(0, triggered.size());
        assertEquals(0, triggered.images().size());

        triggered.warnWhenEmpty("badnets", ctx);

        assertEquals(List.of("badnets: the test set has no image outside the target class, so ASR cannot be measured"),
                ctx.warnings());
        TriggeredTestSet.of(TinyData.images(3, 1, 2, 2, 3, 2), LabelMode.ALL_TO_ONE, 0, PLUS_ONE, ctx)
                .warnWhenEmpty("badnets", ctx);
        assertEquals(1, ctx.warnings().size(), "no warning for a non-empty set");
    }
}
