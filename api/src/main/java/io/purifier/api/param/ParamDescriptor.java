package io.purifier.api.param;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ordered list of a plugin's parameters. It resolves raw values (from pipeline JSON or a form) into
 * {@link ResolvedParams}: defaults filled in, every value converted and checked, unknown names refused.
 */
public final class ParamDescriptor {

    private static final ParamDescriptor EMPTY = new ParamDescriptor(List.of());

    private final List<ParamSpec> specs;
    private final Map<String, ParamSpec> byName;

    private ParamDescriptor(List<ParamSpec> specs) {
        Map<String, ParamSpec> map = new LinkedHashMap<>();
        for (ParamSpec spec : specs) {
            if (map.put(spec.name(), spec) != null) {
                throw new IllegalArgumentException("duplicate parameter name '" + spec.name() + "'");
            }
        }
        this.specs = List.copyOf(specs);
        this.byName = Collections.unmodifiableMap(map);
    }

    /** A descriptor with the given parameters, in display order. */
    public static ParamDescriptor of(ParamSpec... specs) {
        return new ParamDescriptor(List.of(specs));
    }

    /** A descriptor with the given parameters, in display order. */
    public static ParamDescriptor of(List<ParamSpec> specs) {
        return new ParamDescriptor(specs);
    }

    /** The descriptor of a plugin without parameters. */
    public static ParamDescriptor none() {
        return EMPTY;
    }

    /** The parameters, in display order. */
    public List<ParamSpec> specs() {
        return specs;
    }

    /** The parameter named {@code name}, or null. */
    public ParamSpec spec(String name) {
        return byName.get(name);
    }

    /** Every problem with {@code raw} (unknown names, wrong types, out-of-range values); empty when valid. */
    public List<ParamProblem> problems(Map<String, ?> raw) {
        List<ParamProblem> problems = new ArrayList<>();
        resolveInto(raw == null ? Map.of() : raw, new LinkedHashMap<>(), problems);
        return problems;
    }

    /**
     * Resolves raw values: fills defaults, converts and checks every value.
     *
     * @param raw parameter values by name; null or missing entries take the default
     * @throws InvalidParametersException listing every problem
     */
    public ResolvedParams resolve(Map<String, ?> raw) {
        Map<String, Object> values = new LinkedHashMap<>();
        List<ParamProblem> problems = new ArrayList<>();
        resolveInto(raw == null ? Map.of() : raw, values, problems);
        if (!problems.isEmpty()) {
            throw new InvalidParametersException(problems);
        }
        return new ResolvedParams(values);
    }

    /** All defaults, resolved. */
    public ResolvedParams defaults() {
        return resolve(Map.of());
    }

    private void resolveInto(Map<String, ?> raw, Map<String, Object> values, List<ParamProblem> problems) {
        for (String name : raw.keySet()) {
            if (!byName.containsKey(name)) {
                problems.add(new ParamProblem(name, raw.get(name),
                        "unknown parameter (known: " + (byName.isEmpty() ? "none" : String.join(", ", byName.keySet())) + ")"));
            }
        }
        for (ParamSpec spec : specs) {
            Object given = raw.get(spec.name());
            if (given == null) {
                values.put(spec.name(), spec.defaultValue());
                continue;
            }
            try {
                values.put(spec.name(), spec.coerce(given));
            } catch (InvalidParametersException e) {
                problems.addAll(e.problems());
            }
        }
    }
}
