package io.purifier.server.osgi;

import io.purifier.api.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading an uploaded bundle's manifest: every broken file is the uploader's 400, never the server's 500. */
class UploadedBundleManifestTest {

    @TempDir
    Path dir;

    private Path jarWithManifest(String manifest) throws IOException {
        Path jar = dir.resolve("b.jar");
        try (OutputStream out = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
            zip.write(manifest.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return jar;
    }

    @Test
    void a_readable_manifest_is_read() throws IOException {
        Path jar = jarWithManifest("Manifest-Version: 1.0\r\nBundle-SymbolicName: a.b\r\n\r\n");
        assertEquals("a.b", UploadedBundleCheck.readManifest(jar, "b.jar").getMainAttributes().getValue("Bundle-SymbolicName"));
    }

    @Test
    void a_malformed_manifest_is_refused_naming_the_file() throws IOException {
        Path jar = jarWithManifest("Manifest-Version: 1.0\r\nthis line is no header\r\n\r\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> UploadedBundleCheck.readManifest(jar, "b.jar"));
        assertTrue(e.getMessage().startsWith("'b.jar' has a META-INF/MANIFEST.MF that cannot be read: "), e.getMessage());
    }

    @Test
    void a_file_that_is_no_zip_is_refused_naming_the_file() throws IOException {
        Path notZip = Files.writeString(dir.resolve("x.jar"), "no zip at all");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> UploadedBundleCheck.readManifest(notZip, "x.jar"));
        assertTrue(e.getMessage().startsWith("'x.jar' is not a jar (zip) file"), e.getMessage());
    }
}
