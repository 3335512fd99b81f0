package io.purifier.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * {@code data/server.json} (mode 0600): where the running server listens ({@code {"url", "pid"}}), so that the
 * command line's {@code purifier user ...} can reach it over HTTP while the server holds the database. Written
 * when HTTP is up, deleted at shutdown; a file left by a killed server is ignored because its process is gone.
 */
public final class LocalServerFile {

    /** The file name in the data directory. */
    public static final String NAME = "server.json";

    /**
     * A running server.
     *
     * @param url its base URL
     * @param pid its process id
     */
    public record Running(String url, long pid) {
    }

    private LocalServerFile() {
    }

    /** Writes the file atomically with mode 0600. */
    public static void write(Path dataDir, String url) throws IOException {
        Path tmp = Files.createTempFile(dataDir, "server", ".json.part",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, new ObjectMapper().createObjectNode().put("url", url)
                .put("pid", ProcessHandle.current().pid()).toString());
        Files.move(tmp, dataDir.resolve(NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Deletes the file if this process wrote it. */
    public static void delete(Path dataDir) {
        read(dataDir).filter(r -> r.pid() == ProcessHandle.current().pid()).ifPresent(r -> {
            try {
                Files.deleteIfExists(dataDir.resolve(NAME));
            } catch (IOException e) {
                // a stale file is ignored by readers once this process is gone
            }
        });
    }

    /** The server that wrote the file, if the file exists and its process still runs. */
    public static Optional<Running> read(Path dataDir) {
        Path file = dataDir.resolve(NAME);
        try {
            JsonNode node = new ObjectMapper().readTree(Files.readString(file));
            Running running = new Running(node.path("url").asText(), node.path("pid").asLong());
            boolean alive = ProcessHandle.of(running.pid()).map(ProcessHandle::isAlive).orElse(false);
            return alive && !running.url().isBlank() ? Optional.of(running) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
