package io.purifier.api.param;

import java.util.List;
import java.util.Objects;

/**
 * One typed parameter: name, type, default, optional bounds or choices, unit and help text.
 *
 * <p>Bounds are inclusive and apply to numbers and to every element of a {@link ParamType#REAL_LIST}.
 * Build instances with the static factories, then refine with {@link #withUnit(String)} and
 * {@link #asVariant()}.</p>
 *
 * @param name         the key in pipeline JSON (camelCase, stable)
 * @param type         the value type
 * @param defaultValue the default: Integer, Double, Boolean, String or List&lt;Double&gt;; never null
 * @param min          inclusive lower bound for numbers, or null
 * @param max          inclusive upper bound for numbers, or null
 * @param choices      the allowed values of a {@link ParamType#CHOICE}; empty otherwise
 * @param unit         unit shown next to the field (for example "epochs", "px"), or empty
 * @param help         one sentence for the UI: what it changes and why one would
 * @param variant      true for a {@link ParamType#CHOICE} whose choices are variants of the method itself (another
 *                     algorithm, not another setting of it), so comparisons such as the benchmark matrix run every
 *                     choice next to the default; false for ordinary parameters
 */
public record ParamSpec(String name, ParamType type, Object defaultValue, Double min, Double max,
                        List<String> choices, String unit, String help, boolean variant) {

    /** Checks that the spec is self-consistent (the default satisfies its own bounds and choices). */
    public ParamSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(defaultValue, "defaultValue of " + name);
        choices = choices == null ? List.of() : List.copyOf(choices);
        unit = unit == null ? "" : unit;
        help = help == null ? "" : help;
        if (name.isBlank()) {
            throw new IllegalArgumentException("parameter name must not be blank");
        }
        if (type == ParamType.CHOICE && choices.isEmpty()) {
            throw new IllegalArgumentException("choice parameter '" + name + "' needs at least one choice");
        }
        if (min != null && max != null && min > max) {
            throw new IllegalArgumentException("parameter '" + name + "': min " + min + " > max " + max);
        }
        String problem = ParamValues.check(type, defaultValue, min, max, choices);
        if (problem != null) {
            throw new IllegalArgumentException("default of parameter '" + name + "' is invalid: " + problem);
        }
        if (variant && type != ParamType.CHOICE) {
            throw new IllegalArgumentException("parameter '" + name + "' can only be a variant as a choice");
        }
    }

    /** An ordinary parameter (not a {@link #variant()}); the form of version 1.0 of this package. */
    public ParamSpec(String name, ParamType type, Object defaultValue, Double min, Double max,
                     List<String> choices, String unit, String help) {
        this(name, type, defaultValue, min, max, choices, unit, help, false);
    }

    /** An integer parameter with inclusive bounds. */
    public static ParamSpec integer(String name, int defaultValue, int min, int max, String help) {
        return new ParamSpec(name, ParamType.INTEGER, defaultValue, (double) min, (double) max, List.of(), "", help);
    }

    /** A real parameter with inclusive bounds. */
    public static ParamSpec real(String name, double defaultValue, double min, double max, String help) {
        return new ParamSpec(name, ParamType.REAL, defaultValue, min, max, List.of(), "", help);
    }

    /** A boolean parameter. */
    public static ParamSpec bool(String name, boolean defaultValue, String help) {
        return new ParamSpec(name, ParamType.BOOLEAN, defaultValue, null, null, List.of(), "", help);
    }

    /** A free-text parameter. */
    public static ParamSpec text(String name, String defaultValue, String help) {
        return new ParamSpec(name, ParamType.STRING, defaultValue, null, null, List.of(), "", help);
    }

    /** A parameter whose value is one of {@code choices}. */
    public static ParamSpec choice(String name, String defaultValue, List<String> choices, String help) {
        return new ParamSpec(name, ParamType.CHOICE, defaultValue, null, null, choices, "", help);
    }

    /** A list of reals, each within the inclusive bounds. */
    public static ParamSpec realList(String name, List<Double> defaultValue, double min, double max, String help) {
        return new ParamSpec(name, ParamType.REAL_LIST, List.copyOf(defaultValue), min, max, List.of(), "", help);
    }

    /** A copy with the given unit. */
    public ParamSpec withUnit(String newUnit) {
        return new ParamSpec(name, type, defaultValue, min, max, choices, newUnit, help, variant);
    }

    /**
     * A copy marked as a {@link #variant()}: its choices are variants of the method, which comparisons run side by
     * side.
     *
     * @throws IllegalArgumentException when this is not a {@link ParamType#CHOICE}
     */
    public ParamSpec asVariant() {
        return new ParamSpec(name, type, defaultValue, min, max, choices, unit, help, true);
    }

    /**
     * Converts a raw value (as parsed from JSON or typed in a form) to this parameter's Java type and checks
     * it against bounds and choices.
     *
     * @return the typed value
     * @throws InvalidParametersException naming this parameter and the bad value
     */
    public Object coerce(Object raw) {
        Object value = ParamValues.convert(type, raw);
        String problem = value == null ? ParamValues.typeProblem(type, raw) : ParamValues.check(type, value, min, max, choices);
        if (problem != null) {
            throw new InvalidParametersException(List.of(new ParamProblem(name, raw, problem)));
        }
        return value;
    }
}
