package io.purifier.server.osgi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SystemPackagesTest {

    @TempDir
    Path dir;

    @Test
    void converts_maven_versions_to_osgi_versions() {
        assertEquals("1.0.0.M2_1", SystemPackages.osgiVersion("1.0.0-M2.1"));
        assertEquals("0.3.19.1_5_7", SystemPackages.osgiVersion("0.3.19-1.5.7"));
        assertEquals("2.0.0", SystemPackages.osgiVersion("2"));
        assertEquals("0.1.0.SNAPSHOT", SystemPackages.osgiVersion("0.1.0-SNAPSHOT"));
        assertEquals("0.0.0", SystemPackages.osgiVersion("latest"));
    }

    @Test
    void export_header_keeps_versions_and_drops_directives() {
        Map<String, String> out = new LinkedHashMap<>();
        SystemPackages.addExportHeader("a.b;version=\"1.2.0\";uses:=\"x.y,z.w\",c.d;version=2.0,java.lang,e.f", out);
        assertEquals(Map.of("a.b", "1.2.0", "c.d", "2.0", "e.f", "0.0.0"), out);
    }

    @Test
    void plain_jars_export_their_class_packages_with_the_maven_version_and_excluded_jars_nothing() throws IOException {
        Path plain = jar("lib-1.4.2.jar", null, "org/example/lib/A.class", "org/example/lib/inner/B.class", "META-INF/x/C.class",
                "META-INF/maven/org.example/lib/pom.properties");
        Path bundle = jar("api-1.0.jar", "io.example.api;version=\"3.1.0\"", "io/example/api/Api.class");
        Path hidden = jar("h2-2.5.252.jar", null, "org/h2/Driver.class");
        String clause = SystemPackages.compute(List.of(plain, bundle, hidden), List.of(Pattern.compile("h2-.*")));
        assertTrue(clause.contains("org.example.lib;version=\"1.4.2\""), clause);
        assertTrue(clause.contains("org.example.lib.inner;version=\"1.4.2\""), clause);
        assertTrue(clause.contains("io.example.api;version=\"3.1.0\""), clause);
        assertFalse(clause.contains("org.h2"), clause);
        assertFalse(clause.contains("META-INF"), clause);
    }

    @Test
    void the_benchmarks_and_their_client_stay_private_when_they_share_the_class_path() throws IOException {
        Path bench = jar("purifier-bench-0.1.0-SNAPSHOT.jar", null, "io/purifier/bench/BenchMain.class");
        Path client = jar("purifier-api-client-0.1.0-SNAPSHOT.jar", null, "io/purifier/client/ApiClient.class");
        Path api = jar("purifier-api-0.1.0-SNAPSHOT.jar", "io.purifier.api;version=\"1.0.0\"", "io/purifier/api/Plugin.class");
        String clause = SystemPackages.compute(List.of(bench, client, api), SystemPackages.DEFAULT_EXCLUDES);
        assertEquals("io.purifier.api;version=\"1.0.0\"", clause);
    }

    private Path jar(String name, String exportPackage, String... entries) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (exportPackage != null) {
            manifest.getMainAttributes().putValue("Export-Package", exportPackage);
        }
        Path file = dir.resolve(name);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(file), manifest)) {
            for (String entry : entries) {
                out.putNextEntry(new JarEntry(entry));
                if (entry.endsWith("pom.properties")) {
                    out.write("version=1.4.2\n".getBytes());
                }
                out.closeEntry();
            }
        }
        return file;
    }
}
