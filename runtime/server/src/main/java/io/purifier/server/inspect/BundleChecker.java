package io.purifier.server.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.purifier.api.InvalidInputException;
import io.purifier.server.FileTrees;
import io.purifier.server.process.ChildJvm;
import io.purifier.server.process.ChildResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The dry run of a bundle upload ({@link BundleCheckCommand}) in a child JVM with a time limit: resolves the
 * bundle against the host, loads every class, starts it and lists the plugins it registers. A bundle that fails,
 * hangs or kills its JVM is refused with a message naming it; the server's framework never sees it.
 */
public final class BundleChecker {

    private static final Logger LOG = LoggerFactory.getLogger(BundleChecker.class);

    private final Path home;
    private final Path scratchRoot;
    private final ModelInspector.Limits limits;
    private final ObjectMapper json;

    /**
     * @param home        the installation (bundles/, lib/)
     * @param scratchRoot where each check gets a working directory (deleted afterwards)
     * @param limits      the child's time limit and memory caps
     * @param json        the JSON mapper
     */
    public BundleChecker(Path home, Path scratchRoot, ModelInspector.Limits limits, ObjectMapper json) {
        this.home = home;
        this.scratchRoot = scratchRoot;
        this.limits = limits;
        this.json = json;
    }

    /**
     * Checks {@code jar} beside the bundles in {@code deployDir} (a deployed bundle with the same symbolic name is
     * left out: the upload would replace it).
     *
     * @return {@code {symbolicName, version, plugins[]}}
     * @throws InvalidInputException when the bundle is refused, naming {@code displayName} and the reason
     */
    public JsonNode check(Path jar, String displayName, Path deployDir) throws IOException, InterruptedException {
        Path scratch = Files.createDirectories(scratchRoot).resolve("check-" + UUID.randomUUID());
        try {
            Files.createDirectories(scratch);
            ChildResult result = ChildJvm.forMainClass(BundleCheckCommand.class.getName(), home)
                    .args(List.of(BundleCheckCommand.OPTION, jar.toAbsolutePath().toString(), "--deploy", deployDir.toString(),
                            "--felix-cache", scratch.resolve("felix-cache").toString()))
                    .systemProperty("purifier.home", home.toAbsolutePath().toString())
                    .heapBytes(limits.heapBytes()).offHeapBytes(limits.offHeapBytes()).timeout(limits.timeout())
                    .readyWhen(InspectModelCommand.READY, InspectModelCommand.STARTUP_LIMIT)
                    .outputCap(256 * 1024).directory(scratch).build().run();
            JsonNode line = ModelInspector.lastJsonLine(json, result.stdout());
            if (result.succeeded() && line != null && line.path("ok").asBoolean()) {
                return line;
            }
            if (!result.timedOut() && result.exitCode() == InspectModelCommand.REFUSED && line != null) {
                throw new InvalidInputException("bundle '" + displayName + "' was refused: "
                        + ModelInspector.scrub(line.path("error").asText("no reason given"), jar, displayName));
            }
            LOG.warn("dry run of bundle '{}' {}; its last output: {}", displayName, result.describe(),
                    ModelInspector.tail(result.stderr(), 2000));
            String what = result.timedOut() && !result.beforeReady() ? "did not finish starting within " + limits.timeout().toSeconds()
                    + " s (an activator or component that never returns?)" : result.describe();
            throw new InvalidInputException("bundle '" + displayName + "' was refused: its dry run " + what
                    + "; nothing was deployed");
        } finally {
            try {
                FileTrees.delete(scratch);
            } catch (IOException e) {
                LOG.warn("cannot delete the check directory {}: {}", scratch, e.getMessage());
            }
        }
    }

    /** The time limit of one check. */
    public Duration timeout() {
        return limits.timeout();
    }
}
