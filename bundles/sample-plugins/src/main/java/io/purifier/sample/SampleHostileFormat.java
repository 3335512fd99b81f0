package io.purifier.sample;

import io.purifier.api.PluginProperties;
import io.purifier.api.PurifierPlugin;
import io.purifier.api.model.Model;
import io.purifier.api.model.ModelFormat;
import io.purifier.api.model.ModelFormatException;
import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ResolvedParams;
import org.osgi.service.component.annotations.Component;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A model format that behaves like the worst parser of untrusted input, for the host's isolation tests. The file's
 * first word picks the misbehaviour: {@code crash} sends SIGSEGV to its own JVM (as a fault in native code would),
 * {@code hang} never returns, {@code oom} fills the heap until the JVM runs out of memory, {@code exit} ends the
 * process with code 7. Anything else is refused with a message. Never shipped.
 */
@Component(service = ModelFormat.class)
@PurifierPlugin(id = "sample-hostile", kind = PluginProperties.KIND_MODEL_FORMAT)
public final class SampleHostileFormat implements ModelFormat {

    @Override
    public String id() {
        return "sample-hostile";
    }

    @Override
    public String name() {
        return "Sample hostile (test format)";
    }

    @Override
    public String description() {
        return "Crashes, hangs or exhausts memory on purpose, to test that uploads are parsed out of the server's process.";
    }

    @Override
    public ParamDescriptor parameters() {
        return ParamDescriptor.none();
    }

    @Override
    public List<String> fileExtensions() {
        return List.of("hostile");
    }

    @Override
    public Model load(Path file, ResolvedParams params) throws ModelFormatException {
        String word;
        try {
            word = Files.readString(file).trim();
        } catch (IOException e) {
            throw new ModelFormatException("cannot read " + file + ": " + e.getMessage());
        }
        try {
            switch (word) {
                case "crash" -> {
                    new ProcessBuilder("kill", "-SEGV", Long.toString(ProcessHandle.current().pid())).start().waitFor();
                    new CountDownLatch(1).await();
                }
                case "hang" -> new CountDownLatch(1).await();
                case "oom" -> {
                    List<long[]> hog = new ArrayList<>();
                    while (true) {
                        hog.add(new long[1 << 20]);
                    }
                }
                case "exit" -> System.exit(7);
                default -> {
                    // refused below
                }
            }
        } catch (IOException | InterruptedException e) {
            throw new ModelFormatException("sample-hostile could not misbehave: " + e);
        }
        throw new ModelFormatException("not a sample-hostile file: " + file + " starts with '" + word + "'");
    }
}
