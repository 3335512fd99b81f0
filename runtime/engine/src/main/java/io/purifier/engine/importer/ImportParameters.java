package io.purifier.engine.importer;

import io.purifier.api.data.Normalization;
import io.purifier.api.param.InvalidParametersException;
import io.purifier.api.param.ParamProblem;

import java.util.Arrays;
import java.util.List;

/**
 * The upload parameters every format that imports a foreign model shares ({@code classNames}, {@code mean},
 * {@code std}), parsed with problems that name the parameter.
 */
public final class ImportParameters {

    private ImportParameters() {
    }

    /**
     * Splits comma-separated class names; blank gives an empty list (the model's own or default names).
     *
     * @throws InvalidParametersException naming {@code classNames} for an empty or repeated name
     */
    public static List<String> classNames(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        List<String> names = Arrays.stream(text.split(",", -1)).map(String::trim).toList();
        if (names.stream().anyMatch(String::isEmpty)) {
            throw problem("classNames", text, "has an empty name");
        }
        if (names.stream().distinct().count() != names.size()) {
            throw problem("classNames", text, "repeats a name");
        }
        return names;
    }

    /**
     * The per-channel normalization the model was trained with, or null (identity) when both lists are empty.
     *
     * @throws InvalidParametersException naming {@code std} when the lists differ in length
     */
    public static Normalization normalization(List<Double> mean, List<Double> std) {
        if (mean.isEmpty() && std.isEmpty()) {
            return null;
        }
        if (mean.size() != std.size()) {
            throw problem("std", std, "must have as many values as 'mean' " + mean + " (one per input channel)");
        }
        return new Normalization(mean.stream().mapToDouble(Double::doubleValue).toArray(),
                std.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static InvalidParametersException problem(String parameter, Object value, String message) {
        return new InvalidParametersException(List.of(new ParamProblem(parameter, value, message)));
    }
}
