package io.purifier.api.param;

/**
 * One validation problem: which parameter, the value that was given, and what is wrong with it.
 *
 * @param parameter the parameter name (or a dotted path such as {@code defenses[0].params.epochs} when the
 *                  host reports problems across a whole pipeline)
 * @param value     the offending raw value as given (may be null when a value is missing)
 * @param message   what is wrong, e.g. "must be at most 1"
 */
public record ParamProblem(String parameter, Object value, String message) {

    /** A copy whose parameter name is prefixed with {@code prefix + "."}. */
    public ParamProblem under(String prefix) {
        return new ParamProblem(prefix + "." + parameter, value, message);
    }

    /** Human-readable form: {@code epochs = -1: must be at least 0}. */
    @Override
    public String toString() {
        return parameter + " = " + value + ": " + message;
    }
}
