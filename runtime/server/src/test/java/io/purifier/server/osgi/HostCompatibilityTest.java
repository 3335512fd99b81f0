package io.purifier.server.osgi;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Version;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostCompatibilityTest {

    private final HostCompatibility host = new HostCompatibility(
            Map.of("io.purifier.api", new Version(1, 2, 0), "org.nd4j.linalg.api.ndarray", new Version(1, 0, 0)),
            Set.of("io.purifier.api", "org.apache.felix.framework"));

    private static Attributes manifest(String exports, String imports) {
        Attributes a = new Attributes();
        if (exports != null) {
            a.putValue("Export-Package", exports);
        }
        if (imports != null) {
            a.putValue("Import-Package", imports);
        }
        return a;
    }

    @Test
    void header_clauses_keep_quoted_ranges_and_directives_together() {
        List<HeaderClauses.Clause> clauses = HeaderClauses.parse(
                "a.b;c.d;version=\"[1.0,2)\";resolution:=optional, e.f;version=1.2.3,g");
        assertEquals(List.of("a.b", "c.d", "e.f", "g"), clauses.stream().map(HeaderClauses.Clause::path).toList());
        assertEquals("[1.0,2)", clauses.get(1).attributes().get("version"));
        assertEquals("optional", clauses.get(0).directives().get("resolution"));
        assertEquals("1.2.3", clauses.get(2).attributes().get("version"));
        assertTrue(HeaderClauses.parse(null).isEmpty());
    }

    @Test
    void importing_host_packages_within_the_host_version_is_fine() {
        assertEquals(List.of(), host.problems(manifest("com.example;version=1.0", "io.purifier.api;version=\"[1.0,2)\",org.nd4j.linalg.api.ndarray,com.other")));
        assertEquals(List.of(), host.problems(manifest("io.purifier.api;version=1.2.0", null)));
    }

    @Test
    void another_version_of_a_host_package_is_a_problem_naming_the_host_version() {
        List<String> problems = host.problems(manifest("io.purifier.api;version=\"2.0.0\"", "org.nd4j.linalg.api.ndarray;version=\"[1.1,2)\""));
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("exports the host package io.purifier.api at version 2.0.0, but the host exports io.purifier.api 1.2.0"));
        assertTrue(problems.get(1).contains("imports org.nd4j.linalg.api.ndarray at version [1.1,2), but the host exports org.nd4j.linalg.api.ndarray 1.0.0"));
    }

    @Test
    void host_names_are_known() {
        assertTrue(host.isHostName("io.purifier.api"));
        assertFalse(host.isHostName("com.example.defense"));
    }
}
