package io.purifier.server.run;

import io.purifier.api.attack.PoisonedData;
import io.purifier.api.data.ImageSet;
import io.purifier.server.pipeline.ValidatedPipeline;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReportingProbesTest {

    @Test
    void fraction_counts_equal_positions() {
        assertEquals(0.5, ReportingProbes.fraction(new int[]{1, 2, 3, 4}, new int[]{1, 0, 3, 0}), 1e-12);
        assertEquals(0.0, ReportingProbes.fraction(new int[0], new int[0]), 1e-12);
    }

    @Test
    void head_keeps_the_first_images_only_when_there_are_more() {
        ImageSet set = RunFixtures.images(5);
        assertEquals(3, ReportingProbes.head(set, 3).size());
        assertEquals(List.of(0, 1, 2), List.of(ReportingProbes.head(set, 3).label(0), ReportingProbes.head(set, 3).label(1),
                ReportingProbes.head(set, 3).label(2)));
        assertEquals(set, ReportingProbes.head(set, 5));
    }

    @Test
    void the_probe_reports_clean_accuracy_asr_and_robust_accuracy() throws Exception {
        RunState s = new RunState(1, RunFixtures.pipeline(RunFixtures.resolved("tiny"), null, null, List.of(), List.of()));
        s.data = RunFixtures.splits(6, 6);
        ImageSet triggered = RunFixtures.images(3);
        s.poisoned = new PoisonedData(s.data.train(), new int[0], triggered, new int[]{1, 1, 1}, null, List.of());
        Map<String, Double> clean = ReportingProbes.of(s).evaluate(new RunFixtures.PixelModel(0));
        assertEquals(1.0, clean.get("C-ACC"), 1e-12);
        assertEquals(1.0 / 3, clean.get("ASR"), 1e-12, "only the image of class 1 is 'attacked' successfully");
        assertEquals(1.0, clean.get("RA"), 1e-12);
        Map<String, Double> shifted = ReportingProbes.of(s).evaluate(new RunFixtures.PixelModel(1));
        assertEquals(0.0, shifted.get("C-ACC"), 1e-12);
    }

    @Test
    void without_an_attack_the_probe_reports_clean_accuracy_only() throws Exception {
        ValidatedPipeline p = RunFixtures.pipeline(RunFixtures.resolved("tiny"), null, null, List.of(), List.of());
        RunState s = new RunState(1, p);
        s.data = RunFixtures.splits(3, 3);
        assertEquals(Map.of("C-ACC", 1.0), ReportingProbes.of(s).evaluate(new RunFixtures.PixelModel(0)));
    }
}
