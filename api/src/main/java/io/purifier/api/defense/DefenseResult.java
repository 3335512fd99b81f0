package io.purifier.api.defense;

import io.purifier.api.model.Model;

import java.util.Map;
import java.util.Objects;

/**
 * A defense's output.
 *
 * @param purified the purified model (may be the input model when the defense decides nothing needs doing)
 * @param summary  a few facts for the history and UI (e.g. "prunedChannels" = 12); values are numbers or text
 */
public record DefenseResult(Model purified, Map<String, Object> summary) {

    /** Copies the summary. */
    public DefenseResult {
        Objects.requireNonNull(purified, "purified");
        summary = Map.copyOf(summary);
    }

    /** A result without summary facts. */
    public static DefenseResult of(Model purified) {
        return new DefenseResult(purified, Map.of());
    }
}
