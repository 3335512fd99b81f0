package io.purifier.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the Declarative Services component descriptions bnd wrote into a build's class directory
 * ({@code OSGI-INF/*.xml}), so tests can check the service properties a component will be registered with.
 */
public final class ComponentDescriptions {

    private static final Pattern PROPERTY = Pattern.compile("<property name=\"([^\"]+)\"[^>]*?value=\"([^\"]*)\"");

    private ComponentDescriptions() {
    }

    /** The component description of {@code implementation} under {@code classesDir}, if bnd wrote one. */
    public static Optional<String> of(Path classesDir, Class<?> implementation) throws IOException {
        Path dir = classesDir.resolve("OSGI-INF");
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        String marker = "<implementation class=\"" + implementation.getName() + "\"/>";
        try (Stream<Path> files = Files.list(dir)) {
            for (Path xml : files.filter(p -> p.toString().endsWith(".xml")).sorted().toList()) {
                String text = Files.readString(xml);
                if (text.contains(marker)) {
                    return Optional.of(text);
                }
            }
        }
        return Optional.empty();
    }

    /** The value of the component property {@code name} in {@code description}, if set. */
    public static Optional<String> property(String description, String name) {
        Matcher m = PROPERTY.matcher(description);
        while (m.find()) {
            if (m.group(1).equals(name)) {
                return Optional.of(m.group(2));
            }
        }
        return Optional.empty();
    }

    /** The service interfaces the component provides. */
    public static List<String> services(String description) {
        return Pattern.compile("<provide interface=\"([^\"]+)\"/>").matcher(description).results()
                .map(r -> r.group(1)).toList();
    }
}
