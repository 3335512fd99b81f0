package io.purifier.bench.engine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A zoo model as the benchmark names it: {@code id[:param=value,...]}, for example
 * {@code preact-resnet18:widthMultiplier=0.5}. The same text is passed to the PyTorch twin.
 *
 * @param text   the text as given
 * @param id     the architecture id
 * @param params raw parameter values (resolved against the architecture's descriptor later)
 */
record ModelSpec(String text, String id, Map<String, Object> params) {

    /** The models of the comparison table when none are named. */
    static final List<String> DEFAULTS = List.of("small-cnn", "vgg-small", "preact-resnet18",
            "preact-resnet18:widthMultiplier=0.5");

    /**
     * Parses one spec.
     *
     * @throws IllegalArgumentException naming the malformed part
     */
    static ModelSpec parse(String text) {
        String[] parts = text.split(":", 2);
        if (parts[0].isBlank()) {
            throw new IllegalArgumentException("model '" + text + "' has no architecture id");
        }
        Map<String, Object> params = new LinkedHashMap<>();
        if (parts.length == 2) {
            for (String kv : parts[1].split(",")) {
                String[] p = kv.split("=", 2);
                if (p.length != 2 || p[0].isBlank() || p[1].isBlank()) {
                    throw new IllegalArgumentException("model '" + text + "': '" + kv
                            + "' is not param=value (e.g. preact-resnet18:widthMultiplier=0.5)");
                }
                params.put(p[0].trim(), p[1].trim());
            }
        }
        return new ModelSpec(text, parts[0].trim(), params);
    }
}
