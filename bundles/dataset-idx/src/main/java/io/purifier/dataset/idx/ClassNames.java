package io.purifier.dataset.idx;

import io.purifier.api.InvalidInputException;
import io.purifier.data.IdxReader;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/** Parses the {@code classNames} parameter. */
final class ClassNames {

    private ClassNames() {
    }

    /**
     * The class names: "0" .. "needed-1" for blank text, otherwise the comma-separated, trimmed names.
     *
     * @param needed the number of classes the labels use (largest label + 1)
     * @throws InvalidInputException for empty or duplicate names, or fewer names than the labels need
     */
    static List<String> parse(String text, int needed) {
        if (text.isBlank()) {
            return IdxReader.numberedClassNames(needed);
        }
        List<String> names = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String name = part.strip();
            if (name.isEmpty()) {
                throw new InvalidInputException("classNames has an empty name in '" + text + "'");
            }
            names.add(name);
        }
        if (new HashSet<>(names).size() != names.size()) {
            throw new InvalidInputException("classNames names a class twice: '" + text + "'");
        }
        if (names.size() < needed) {
            throw new InvalidInputException("classNames lists " + names.size() + " classes but the labels go up to "
                    + (needed - 1) + ", so " + needed + " names are needed");
        }
        return names;
    }
}
