package io.purifier.defense.wiper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Benign salience per parameter element: an exponential moving average of the first-order estimate
 * {@code -(dL/dw) * w}, updated after every backward pass, {@code S <- eta * S - (1 - eta) * g * w}, starting
 * from zero. Signed, per element (not per neuron), as in the reference code.
 */
final class BenignSalience {

    private final double eta;
    private final Map<String, double[]> values = new LinkedHashMap<>();

    /**
     * @param eta        the EMA factor in [0, 1]
     * @param parameters the tracked parameters with their element counts
     */
    BenignSalience(double eta, Map<String, Integer> parameters) {
        if (!(eta >= 0 && eta <= 1)) {
            throw new IllegalArgumentException("eta must be in [0, 1], got " + eta);
        }
        this.eta = eta;
        for (Map.Entry<String, Integer> e : parameters.entrySet()) {
            values.put(e.getKey(), new double[e.getValue()]);
        }
    }

    /** The tracked parameters, in the order given. */
    List<String> parameters() {
        return List.copyOf(values.keySet());
    }

    /**
     * One EMA step for {@code parameter}.
     *
     * @param gradient the gradient of the loss with respect to the parameter (flattened)
     * @param weights  the parameter's values when the gradient was taken (flattened)
     */
    void update(String parameter, double[] gradient, double[] weights) {
        double[] s = of(parameter);
        if (gradient.length != s.length || weights.length != s.length) {
            throw new IllegalArgumentException("parameter '" + parameter + "' has " + s.length + " elements, got "
                    + gradient.length + " gradients and " + weights.length + " weights");
        }
        for (int i = 0; i < s.length; i++) {
            s[i] = eta * s[i] - (1 - eta) * (gradient[i] * weights[i]);
        }
    }

    /** The live salience array of {@code parameter}. */
    double[] of(String parameter) {
        double[] s = values.get(parameter);
        if (s == null) {
            throw new IllegalArgumentException("no salience is tracked for '" + parameter + "' (tracked: "
                    + values.keySet() + ")");
        }
        return s;
    }
}
