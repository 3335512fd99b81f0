package io.purifier.data;

import io.purifier.api.InvalidInputException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConfiguredDataRootsTest {

    @TempDir
    Path tmp;

    private Path rootA;
    private Path rootB;
    private Path outside;
    private ConfiguredDataRoots roots;

    @BeforeEach
    void createTree() throws Exception {
        rootA = Files.createDirectories(tmp.resolve("a")).toRealPath();
        rootB = Files.createDirectories(tmp.resolve("b")).toRealPath();
        outside = Files.createDirectories(tmp.resolve("secret")).toRealPath();
        Files.createDirectories(rootA.resolve("mnist"));
        Files.writeString(rootB.resolve("trigger.png"), "x");
        Files.writeString(outside.resolve("passwords"), "x");
        roots = new ConfiguredDataRoots(List.of(rootA, rootB));
    }

    @Test
    void resolves_absolute_paths_inside_any_root() {
        assertEquals(rootA.resolve("mnist"), roots.resolve(rootA.resolve("mnist").toString()));
        assertEquals(rootB.resolve("trigger.png"), roots.resolve(rootB.resolve("trigger.png").toString()));
    }

    @Test
    void resolves_relative_paths_against_the_first_root() {
        assertEquals(rootA.resolve("mnist"), roots.resolve("mnist"));
        assertEquals(rootA, roots.resolve("."));
    }

    @Test
    void refuses_a_path_outside_every_root() {
        String path = outside.resolve("passwords").toString();

        var e = assertThrows(InvalidInputException.class, () -> roots.resolve(path));

        assertEquals("path '" + path + "' (" + path + ") is outside the data roots [" + rootA + ", " + rootB
                + "]; the server reads user-named files only from these directories", e.getMessage());
    }

    @Test
    void refuses_dot_dot_escapes() {
        var e = assertThrows(InvalidInputException.class, () -> roots.resolve("../secret/passwords"));

        assertEquals("path '../secret/passwords' (" + outside.resolve("passwords") + ") is outside the data roots [" + rootA
                + ", " + rootB + "]; the server reads user-named files only from these directories", e.getMessage());
    }

    @Test
    void refuses_symbolic_links_that_leave_the_roots() throws Exception {
        Files.createSymbolicLink(rootA.resolve("escape"), outside);

        var e = assertThrows(InvalidInputException.class, () -> roots.resolve("escape/passwords"));

        assertEquals("path 'escape/passwords' resolves to " + outside.resolve("passwords")
                + " (through a symbolic link), which is outside the data roots [" + rootA + ", " + rootB + "]", e.getMessage());
    }

    @Test
    void follows_symbolic_links_between_roots() throws Exception {
        Files.createSymbolicLink(rootA.resolve("shared"), rootB);

        assertEquals(rootB.resolve("trigger.png"), roots.resolve("shared/trigger.png"));
    }

    @Test
    void accepts_paths_through_a_root_that_is_itself_a_link() throws Exception {
        Path link = Files.createSymbolicLink(tmp.resolve("link-to-a"), rootA);
        ConfiguredDataRoots linked = new ConfiguredDataRoots(List.of(link));

        assertEquals(rootA.resolve("mnist"), linked.resolve(link.resolve("mnist").toString()));
        assertEquals(rootA.resolve("mnist"), linked.resolve(rootA.resolve("mnist").toString()));
    }

    @Test
    void refuses_a_missing_path_inside_a_root() {
        var e = assertThrows(InvalidInputException.class, () -> roots.resolve("cifar"));

        assertEquals("path 'cifar' (" + rootA.resolve("cifar") + ") does not exist inside the data roots [" + rootA + ", " + rootB + "]",
                e.getMessage());
    }

    @Test
    void refuses_everything_without_roots() {
        var e = assertThrows(InvalidInputException.class, () -> new ConfiguredDataRoots(List.of()).resolve("/tmp"));

        assertEquals("cannot read '/tmp': no data roots are configured on this server", e.getMessage());
    }

    @Test
    void refuses_a_blank_path() {
        var e = assertThrows(InvalidInputException.class, () -> roots.resolve(" "));

        assertEquals("no path given; expected a path inside one of the data roots [" + rootA + ", " + rootB + "]", e.getMessage());
    }
}
