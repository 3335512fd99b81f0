package io.purifier.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.purifier.server.pipeline.RunService;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code data/server.json}: which process serves this installation's data directory, and where. {@code purifier serve}
 * writes it once it listens and removes it when it stops; {@code purifier run} reads it to send its pipeline to the
 * running server. A file left by a process that is gone, or by a server that does not answer, is ignored.
 */
public final class ServerFile {

    /** The file's name in the data directory. */
    public static final String NAME = "server.json";

    /**
     * A running server.
     *
     * @param url   its base URL as this machine reaches it
     * @param owner its process's owner id ({@code pid@start-instant})
     */
    public record Running(URI url, String owner) {
    }

    private ServerFile() {
    }

    /** Writes the file for this process (mode 0600, atomically). */
    public static void write(Path dataDir, URI url, ObjectMapper json) throws IOException {
        Path tmp = Files.createTempFile(dataDir, ".server", ".json",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        json.writeValue(tmp.toFile(), json.createObjectNode().put("url", url.toString()).put("owner", RunService.ownerId())
                .put("pid", ProcessHandle.current().pid()));
        Files.move(tmp, dataDir.resolve(NAME), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Removes the file if it names this process. */
    public static void remove(Path dataDir, ObjectMapper json) {
        Path file = dataDir.resolve(NAME);
        try {
            if (Files.isRegularFile(file) && RunService.ownerId().equals(json.readTree(file.toFile()).path("owner").asText())) {
                Files.delete(file);
            }
        } catch (IOException e) {
            // a file that cannot be read or removed is ignored by readers once this process is gone
        }
    }

    /** The server that serves {@code dataDir} now: its process is alive and its health check answers. */
    public static Optional<Running> find(Path dataDir, ObjectMapper json) {
        Path file = dataDir.resolve(NAME);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode node = json.readTree(file.toFile());
            String owner = node.path("owner").asText();
            URI url = URI.create(node.path("url").asText());
            if (!RunService.ownerAlive(owner) || !healthy(url)) {
                return Optional.empty();
            }
            return Optional.of(new Running(url, owner));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static boolean healthy(URI url) {
        try {
            HttpResponse<Void> res = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build().send(
                    HttpRequest.newBuilder(url.resolve("/api/health")).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return res.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
