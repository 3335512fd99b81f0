package io.purifier.server.web;

import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import io.purifier.server.osgi.BundleDeployer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/** Reads an upload (raw request body or the multipart field {@code file}) into a temporary file, within the size limit. */
final class Uploads {

    /**
     * An upload on disk.
     *
     * @param file     the temporary file (caller moves or deletes it)
     * @param fileName the client's file name, or the fallback
     */
    record Upload(Path file, String fileName) {
    }

    private Uploads() {
    }

    static Upload read(Context ctx, Path tmpDir, long maxBytes, String fallbackName) throws IOException {
        String contentType = ctx.contentType() == null ? "" : ctx.contentType();
        if (contentType.startsWith("multipart/form-data")) {
            UploadedFile part = ctx.uploadedFile("file");
            if (part == null) {
                throw ApiException.badRequest("the multipart request has no part named 'file'");
            }
            try (InputStream in = part.content()) {
                return new Upload(BundleDeployer.spool(in, tmpDir, maxBytes), safeName(part.filename(), fallbackName));
            }
        }
        String name = ctx.queryParam("filename");
        try (InputStream in = ctx.bodyInputStream()) {
            Path file = BundleDeployer.spool(in, tmpDir, maxBytes);
            if (file.toFile().length() == 0) {
                file.toFile().delete();
                throw ApiException.badRequest("the upload is empty: send the file as the request body or as multipart field 'file'");
            }
            return new Upload(file, safeName(name, fallbackName));
        }
    }

    /** A form field from multipart or the query string. */
    static String field(Context ctx, String name) {
        String contentType = ctx.contentType() == null ? "" : ctx.contentType();
        String value = contentType.startsWith("multipart/form-data") ? ctx.formParam(name) : null;
        return value != null ? value : ctx.queryParam(name);
    }

    private static String safeName(String name, String fallback) {
        if (name == null || name.isBlank()) {
            return fallback;
        }
        String base = Path.of(name.replace('\\', '/')).getFileName().toString();
        String cleaned = base.replaceAll("[^A-Za-z0-9._-]", "_");
        return cleaned.isBlank() || cleaned.startsWith(".") ? fallback : cleaned;
    }
}
