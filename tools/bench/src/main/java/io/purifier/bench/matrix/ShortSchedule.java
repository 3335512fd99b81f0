package io.purifier.bench.matrix;

import java.util.LinkedHashMap;
import java.util.Map;

/** The short defense schedule of the quick and full matrices (their recipes' {@code defenseEpochs}). */
final class ShortSchedule {

    private ShortSchedule() {
    }

    /** How many mask iterations a short schedule gives an iteration-counted defense (ANP) per defense epoch. */
    static final int ITERATIONS_PER_EPOCH = 100;

    /**
     * The short schedule of a recipe with {@code defenseEpochs}: every epoch count of the defense ({@code epochs} and
     * every {@code ...Epochs}: warm-up, teacher, trigger search) at most {@code defenseEpochs}, and an iteration count
     * ({@code iterations}, ANP's mask optimisation) at most {@value #ITERATIONS_PER_EPOCH} per defense epoch; a
     * default already below the cap is kept.
     */
    static Map<String, Object> of(InstalledDefense defense, int defenseEpochs) {
        Map<String, Object> caps = new LinkedHashMap<>();
        for (String name : defense.parameters()) {
            long cap;
            if (name.equals("epochs") || name.endsWith("Epochs")) {
                cap = defenseEpochs;
            } else if (name.equals("iterations")) {
                cap = (long) defenseEpochs * ITERATIONS_PER_EPOCH;
            } else {
                continue;
            }
            Long byDefault = defense.integerDefaults().get(name);
            caps.put(name, byDefault == null ? cap : Math.min(byDefault, cap));
        }
        return caps;
    }
}
