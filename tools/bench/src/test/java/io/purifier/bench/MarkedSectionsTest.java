package io.purifier.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MarkedSectionsTest {

    @Test
    void a_marked_section_is_replaced_in_place_or_appended() {
        String doc = "# Benchmarks\n\nintro\n<!-- bench:matrix-full:begin -->\nold\n<!-- bench:matrix-full:end -->\n\nafter\n";
        String replaced = MarkedSections.replace(doc, "matrix-full", "new table\n");
        assertEquals("# Benchmarks\n\nintro\n<!-- bench:matrix-full:begin -->\nnew table\n<!-- bench:matrix-full:end -->\n\nafter\n", replaced);
        String appended = MarkedSections.replace("# B\n", "matrix-quick", "x");
        assertEquals("# B\n\n<!-- bench:matrix-quick:begin -->\nx\n<!-- bench:matrix-quick:end -->\n", appended);
        assertEquals("# B\n\n<!-- bench:x:begin -->\ny\n<!-- bench:x:end -->\n", MarkedSections.replace("# B", "x", "y"));
    }
}
