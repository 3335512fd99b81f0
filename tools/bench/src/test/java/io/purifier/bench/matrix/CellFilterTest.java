package io.purifier.bench.matrix;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Which cells a part of a matrix runs, and the errors for ids the server does not have. */
class CellFilterTest {

    private static final List<String> ATTACKS = List.of("badnets", "blended", "sig", "wanet");
    private static final List<DefenseSetup> COLUMNS = columns();

    private static List<DefenseSetup> columns() {
        List<DefenseSetup> out = new ArrayList<>(DefenseSetup.columnsOf(Components.npd(), null));
        out.addAll(DefenseSetup.columnsOf(Components.wiper(), null));
        out.add(new DefenseSetup("bcu", "bcu", Map.of(), null));
        out.add(new DefenseSetup("bcu-ood", "bcu", Map.of(), Map.of("id", "idx", "params", Map.of("directory", Path.of("d").toString()))));
        return out;
    }

    private static List<String> selected(CellFilter filter) {
        BenchPlan plan = BenchPlan.paper(ATTACKS, COLUMNS);
        return plan.cells().stream().filter(c -> filter.runs(c, plan.defenses()))
                .map(c -> c.attack() + "/" + c.defense()).toList();
    }

    @Test
    void models_select_the_rows_of_one_model_and_an_unknown_label_is_named() {
        BenchPlan plan = BenchPlan.full(ATTACKS, COLUMNS);
        CellFilter resnet = new CellFilter(Set.of("sig"), Set.of(), Set.of("preact-resnet18-w0.125"));
        List<BenchCell> chosen = plan.cells().stream().filter(c -> resnet.runs(c, plan.defenses())).toList();
        assertEquals(6, chosen.size(), "the SIG row of the ResNet: none and five columns");
        assertEquals(Set.of("preact-resnet18-w0.125"), chosen.stream().map(BenchCell::model).collect(java.util.stream.Collectors.toSet()));
        resnet.checkModels(List.of("small-cnn", "preact-resnet18-w0.125"));
        assertEquals("--models: unknown resnet (this profile's models: small-cnn, preact-resnet18-w0.125)",
                assertThrows(IllegalArgumentException.class, () -> new CellFilter(Set.of(), Set.of(), Set.of("resnet"))
                        .checkModels(List.of("small-cnn", "preact-resnet18-w0.125"))).getMessage());
        assertFalse(resnet.isAll());
    }

    @Test
    void attacks_select_rows_and_the_undefended_column_always_runs() {
        assertEquals(List.of("sig/none", "sig/npd", "sig/wiper", "sig/wiper-corrected", "sig/bcu", "sig/bcu-ood"),
                selected(new CellFilter(Set.of("sig"), Set.of())));
        assertEquals(List.of("badnets/none", "badnets/npd", "blended/none", "blended/npd", "sig/none", "sig/npd",
                "wanet/none", "wanet/npd"), selected(new CellFilter(Set.of(), Set.of("npd"))));
        assertEquals(24, selected(CellFilter.ALL).size());
        assertEquals(List.of("badnets/none", "blended/none", "sig/none", "wanet/none"),
                selected(new CellFilter(Set.of(), Set.of("none"))), "none alone: only the attacked models");
    }

    @Test
    void a_defense_id_selects_all_its_columns_and_a_label_only_its_own() {
        assertEquals(List.of("wanet/none", "wanet/wiper", "wanet/wiper-corrected"),
                selected(new CellFilter(Set.of("wanet"), Set.of("wiper"))));
        assertEquals(List.of("wanet/none", "wanet/bcu-ood"), selected(new CellFilter(Set.of("wanet"), Set.of("bcu-ood"))));
    }

    @Test
    void ids_the_server_does_not_have_are_named_with_the_known_ones() {
        new CellFilter(Set.of("sig"), Set.of("wiper-corrected", "bcu")).check(ATTACKS, COLUMNS);
        assertEquals("--attacks: unknown badnet (installed attacks: badnets, blended, sig, wanet)",
                assertThrows(IllegalArgumentException.class,
                        () -> new CellFilter(Set.of("badnet", "sig"), Set.of()).check(ATTACKS, COLUMNS)).getMessage());
        assertEquals("--defenses: unknown anp, wiper-fixed (installed defenses and columns: bcu, bcu-ood, none, npd, "
                        + "wiper, wiper-corrected)",
                assertThrows(IllegalArgumentException.class,
                        () -> new CellFilter(Set.of(), Set.of("wiper-fixed", "anp", "npd")).check(ATTACKS, COLUMNS)).getMessage());
        new CellFilter(Set.of(), Set.of("none")).check(ATTACKS, COLUMNS);
        assertEquals("--attacks: unknown trojan (installed attacks: badnets, blended, sig, wanet); --defenses: unknown "
                        + "nothing (installed defenses and columns: bcu, bcu-ood, none, npd, wiper, wiper-corrected)",
                assertThrows(IllegalArgumentException.class,
                        () -> new CellFilter(Set.of("trojan"), Set.of("nothing")).check(ATTACKS, COLUMNS)).getMessage());
    }
}
