package io.purifier.api.param;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Conversion and checking of raw parameter values; package-private helpers for {@link ParamSpec}. */
final class ParamValues {

    private ParamValues() {
    }

    /** Converts {@code raw} to the Java type of {@code type}, or returns null when it cannot. */
    static Object convert(ParamType type, Object raw) {
        if (raw == null) {
            return null;
        }
        switch (type) {
            case INTEGER:
                return toInteger(raw);
            case REAL:
                return toReal(raw);
            case BOOLEAN:
                if (raw instanceof Boolean b) {
                    return b;
                }
                if (raw instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
                    return Boolean.valueOf(s);
                }
                return null;
            case STRING:
            case CHOICE:
                return raw instanceof String s ? s : (raw instanceof Number || raw instanceof Boolean ? raw.toString() : null);
            case REAL_LIST:
                return toRealList(raw);
            default:
                throw new IllegalStateException("unhandled type " + type);
        }
    }

    /** Why {@code raw} cannot be converted to {@code type}. */
    static String typeProblem(ParamType type, Object raw) {
        if (raw == null) {
            return "a value is required";
        }
        return switch (type) {
            case INTEGER -> "expected a whole number, got " + describe(raw);
            case REAL -> "expected a finite number, got " + describe(raw);
            case BOOLEAN -> "expected true or false, got " + describe(raw);
            case STRING, CHOICE -> "expected text, got " + describe(raw);
            case REAL_LIST -> "expected a list of finite numbers, got " + describe(raw);
        };
    }

    /** Checks a converted value against bounds and choices; returns the problem or null. */
    static String check(ParamType type, Object value, Double min, Double max, List<String> choices) {
        if (convert(type, value) == null) {
            return typeProblem(type, value);
        }
        switch (type) {
            case INTEGER:
            case REAL:
                return checkBounds(((Number) value).doubleValue(), min, max);
            case CHOICE:
                return choices.contains(value) ? null : "must be one of " + choices;
            case REAL_LIST:
                for (Object element : (List<?>) value) {
                    String problem = checkBounds(((Number) element).doubleValue(), min, max);
                    if (problem != null) {
                        return "element " + element + " " + problem;
                    }
                }
                return null;
            default:
                return null;
        }
    }

    private static String checkBounds(double v, Double min, Double max) {
        if (min != null && v < min) {
            return "must be at least " + format(min);
        }
        if (max != null && v > max) {
            return "must be at most " + format(max);
        }
        return null;
    }

    private static String format(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    private static Integer toInteger(Object raw) {
        if (raw instanceof Integer i) {
            return i;
        }
        if (raw instanceof Number n) {
            double d = n.doubleValue();
            if (d == Math.rint(d) && d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE) {
                return (int) d;
            }
            return null;
        }
        if (raw instanceof String s) {
            try {
                return Integer.valueOf(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static Double toReal(Object raw) {
        Double d = null;
        if (raw instanceof Number n) {
            d = n.doubleValue();
        } else if (raw instanceof String s) {
            try {
                d = Double.valueOf(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return d != null && Double.isFinite(d) ? d : null;
    }

    private static List<Double> toRealList(Object raw) {
        Collection<?> items;
        if (raw instanceof Collection<?> c) {
            items = c;
        } else if (raw instanceof String s) {
            items = s.isBlank() ? List.of() : List.of(s.split(","));
        } else {
            return null;
        }
        List<Double> out = new ArrayList<>(items.size());
        for (Object item : items) {
            Double d = toReal(item);
            if (d == null) {
                return null;
            }
            out.add(d);
        }
        return List.copyOf(out);
    }

    private static String describe(Object raw) {
        String text = String.valueOf(raw);
        if (text.length() > 60) {
            text = text.substring(0, 57) + "...";
        }
        return raw instanceof String ? "\"" + text + "\"" : text;
    }
}
