package io.purifier.server.web;

import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import io.purifier.api.InvalidInputException;
import io.purifier.server.store.SpooledFile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads an upload (raw request body or the multipart field {@code file}) into a temporary file, within the size
 * limit. The client's file name is checked before a byte is written: it must be a plain name (no directory
 * separators, no NUL or control characters, not {@code .}, {@code ..} or a hidden {@code .name}).
 */
final class Uploads {

    /** The longest accepted client file name. */
    static final int MAX_NAME_LENGTH = 200;

    /**
     * An upload on disk.
     *
     * @param file     the temporary file (the caller moves or deletes it)
     * @param fileName the client's file name (checked and with unusual characters replaced), or the fallback
     */
    record Upload(Path file, String fileName) {
    }

    /**
     * Where uploads are spooled and how large they may be.
     *
     * @param tmpDir   the temporary directory (emptied at every start)
     * @param maxBytes the largest accepted upload
     */
    record Limits(Path tmpDir, long maxBytes) {
    }

    private Uploads() {
    }

    static Upload read(Context ctx, Limits limits, String fallbackName) throws IOException {
        Path tmpDir = limits.tmpDir();
        long maxBytes = limits.maxBytes();
        if (isMultipart(ctx)) {
            UploadedFile part = multipart(() -> ctx.uploadedFile("file"));
            if (part == null) {
                throw ApiException.badRequest("the multipart request has no part named 'file'");
            }
            String name = plainName(part.filename(), fallbackName);
            try (InputStream in = part.content()) {
                return nonEmpty(new Upload(spool(in, tmpDir, maxBytes), name));
            }
        }
        String name = plainName(ctx.queryParam("filename"), fallbackName);
        try (InputStream in = ctx.bodyInputStream()) {
            return nonEmpty(new Upload(spool(in, tmpDir, maxBytes), name));
        }
    }

    private static Upload nonEmpty(Upload upload) throws IOException {
        if (Files.size(upload.file()) == 0) {
            Files.deleteIfExists(upload.file());
            throw ApiException.badRequest("the upload is empty: send the file as the request body or as multipart field 'file'");
        }
        return upload;
    }

    /** A form field from multipart or the query string. */
    static String field(Context ctx, String name) {
        String value = isMultipart(ctx) ? multipart(() -> ctx.formParam(name)) : null;
        return value != null ? value : ctx.queryParam(name);
    }

    /** Reads part of a multipart body; a body that is not valid multipart (no boundary, cut off) is a 400. */
    private static <T> T multipart(java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (ApiException | io.purifier.api.InvalidInputException e) {
            throw e;
        } catch (Exception e) {
            throw ApiException.badRequest("the multipart/form-data body is malformed (" + e.getMessage()
                    + "): send the file as multipart field 'file' or as the raw request body");
        }
    }

    private static boolean isMultipart(Context ctx) {
        String contentType = ctx.contentType();
        return contentType != null && contentType.startsWith("multipart/form-data");
    }

    /**
     * {@code name} checked to be a plain file name, with characters other than letters, digits, {@code . _ -}
     * replaced by {@code _}; {@code fallback} when no name was given.
     *
     * @throws ApiException 400 when the name is not a plain file name
     */
    static String plainName(String name, String fallback) {
        if (name == null || name.isEmpty()) {
            return fallback;
        }
        String problem = plainNameProblem(name);
        if (problem != null) {
            throw ApiException.badRequest("the file name " + quoted(name) + " is not a plain file name: " + problem);
        }
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** Why {@code name} is not a plain file name, or null when it is one. */
    static String plainNameProblem(String name) {
        if (name.isBlank()) {
            return "it is blank";
        }
        if (name.length() > MAX_NAME_LENGTH) {
            return "it is longer than " + MAX_NAME_LENGTH + " characters";
        }
        if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) {
            return "it contains a directory separator";
        }
        if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return "it contains a NUL or control character";
        }
        if (name.equals(".") || name.equals("..")) {
            return "it names a directory";
        }
        if (name.startsWith(".")) {
            return "it names a hidden file (starts with '.')";
        }
        return null;
    }

    private static String quoted(String name) {
        StringBuilder out = new StringBuilder("'");
        name.codePoints().limit(60).forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append(name.length() > 60 ? "...'" : "'").toString();
    }

    private static Path spool(InputStream in, Path dir, long maxBytes) throws IOException {
        return SpooledFile.spool(in, dir, maxBytes);
    }
}
