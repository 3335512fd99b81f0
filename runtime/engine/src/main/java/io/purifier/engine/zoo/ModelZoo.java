package io.purifier.engine.zoo;

import io.purifier.api.InvalidInputException;

import java.util.List;
import java.util.stream.Collectors;

/** The built-in architectures. */
public final class ModelZoo {

    private static final List<Architecture> ARCHITECTURES = List.of(new SmallCnn(), new VggSmall(), new PreActResNet18());

    private ModelZoo() {
    }

    /** Every architecture, in display order. */
    public static List<Architecture> architectures() {
        return ARCHITECTURES;
    }

    /**
     * The architecture with {@code id}.
     *
     * @throws InvalidInputException naming the unknown id and the known ones
     */
    public static Architecture architecture(String id) {
        for (Architecture a : ARCHITECTURES) {
            if (a.id().equals(id)) {
                return a;
            }
        }
        throw new InvalidInputException("unknown architecture '" + id + "' (known: "
                + ARCHITECTURES.stream().map(Architecture::id).collect(Collectors.joining(", ")) + ")");
    }
}
