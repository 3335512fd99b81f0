package io.purifier.server.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.purifier.api.data.DataRoots;
import io.purifier.server.osgi.PluginLookup;
import io.purifier.server.pipeline.AttackCache;
import io.purifier.server.pipeline.ModelTrainer;

import java.nio.file.Path;

/**
 * What the pipeline runner needs from the process it runs in.
 *
 * @param plugins       the installed plugins
 * @param trainer       the model zoo and trainer, or null when models cannot be trained
 * @param cache         the attack-once cache
 * @param storedModels  the uploaded models
 * @param dataRoots     where datasets and trigger images may be read from
 * @param runsDir       where runs keep their step files: run {@code N}'s step {@code i} of kind {@code k} writes to
 *                      {@code runsDir/N/step-i-k/}
 * @param json          the JSON mapper
 * @param version       the version of the code that runs the pipeline (recorded in the provenance)
 * @param checkpoints   least time between two checkpoints of a zoo training ({@code training.checkpointMinutes}), or
 *                      null to keep none
 */
public record RunEnvironment(PluginLookup plugins, ModelTrainer trainer, AttackCache cache, StoredModels storedModels,
                             DataRoots dataRoots, Path runsDir, ObjectMapper json, String version,
                             java.time.Duration checkpoints) {
}
