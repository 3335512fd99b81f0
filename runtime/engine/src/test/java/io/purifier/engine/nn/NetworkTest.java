package io.purifier.engine.nn;

import io.purifier.api.InvalidInputException;
import io.purifier.engine.nn.layers.Add;
import io.purifier.engine.nn.layers.Identity;
import io.purifier.engine.nn.layers.Input;
import io.purifier.engine.nn.layers.Relu;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Graph edits keep the order topological, rewire exactly the consumers asked for, and keep layer names in order. */
class NetworkTest {

    /** input -> a -> b, input -> c, add(b, c) -> out. */
    private static Network diamond() {
        Network n = new Network();
        n.add(new Node("input", new Input(1, 2, 2), List.of()));
        n.add(new Node("a", new Relu(), List.of("input")));
        n.add(new Node("b", new Relu(), List.of("a")));
        n.add(new Node("c", new Relu(), List.of("input")));
        n.add(new Node("out", new Add(), List.of("b", "c")));
        n.setOutput("out");
        n.tap("a", "a", null);
        n.tap("b", "b", null);
        n.tap("out", "out", null);
        return n;
    }

    private static List<String> names(Network n) {
        return n.nodes().stream().map(Node::name).toList();
    }

    @Test
    void insert_after_rewires_every_consumer_and_leaves_layer_names_where_they_point() {
        Network n = diamond();
        n.insertAfter("input", List.of(new Node("x1", new Identity(), List.of("input"))), "x1", false);
        assertEquals(List.of("input", "x1", "a", "b", "c", "out"), names(n));
        assertEquals(List.of("x1"), n.node("a").inputs());
        assertEquals(List.of("x1"), n.node("c").inputs());
        assertEquals(List.of("input"), n.node("x1").inputs());
        n.validate();
    }

    @Test
    void insert_after_the_output_node_moves_the_output_and_can_retap() {
        Network n = diamond();
        n.insertAfter("out", List.of(new Node("post", new Identity(), List.of("out"))), "post", true);
        assertEquals("post", n.output());
        assertEquals("post", n.layerNode("out"));
    }

    @Test
    void insert_before_feeds_only_the_named_input_of_one_consumer() {
        Network n = diamond();
        n.insertBefore("b", 0, List.of(new Node("pre", new Identity(), List.of("a"))), "pre");
        assertEquals(List.of("pre"), n.node("b").inputs());
        assertEquals(List.of("input"), n.node("c").inputs(), "other consumers are untouched");
        assertTrue(names(n).indexOf("pre") < names(n).indexOf("b"));
        n.validate();
        assertThrows(InvalidInputException.class,
                () -> n.insertBefore("b", 3, List.of(new Node("q", new Identity(), List.of("a"))), "q"));
    }

    @Test
    void layer_names_are_published_before_or_after_an_anchor() {
        Network n = diamond();
        n.tap("first", "a", "a", true);
        n.tap("second", "b", "a", false);
        assertEquals(List.of("first", "a", "second", "b", "out"), n.layers());
        var e = assertThrows(InvalidInputException.class, () -> n.layerNode("nope"));
        assertTrue(e.getMessage().contains("first, a, second, b, out"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> n.tap("a", "b", null), "a taken layer name");
    }

    @Test
    void validation_catches_a_node_that_reads_a_later_one() {
        Network n = new Network();
        n.add(new Node("input", new Input(1, 2, 2), List.of()));
        n.add(new Node("late", new Relu(), List.of("input")));
        n.setOutput("late");
        n.validate();
        Network broken = new Network();
        broken.add(new Node("input", new Input(1, 2, 2), List.of()));
        broken.add(new Node("x", new Relu(), List.of("y")));
        broken.add(new Node("y", new Relu(), List.of("input")));
        broken.setOutput("y");
        var e = assertThrows(IllegalStateException.class, broken::validate);
        assertTrue(e.getMessage().contains("'x' reads 'y'"), e.getMessage());
    }

    @Test
    void shapes_follow_the_layers_rules() {
        Network n = diamond();
        assertArrayEquals(new long[]{5, 1, 2, 2}, n.shapes(new long[]{5, 1, 2, 2}).get("out"));
        assertThrows(InvalidInputException.class, () -> n.shapes(new long[]{5, 3, 2, 2}));
    }
}
