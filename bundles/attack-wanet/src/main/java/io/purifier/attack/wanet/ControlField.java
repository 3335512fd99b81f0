package io.purifier.attack.wanet;

import java.util.Random;

/**
 * WaNet's random control field: two {@code k x k} planes (x and y displacement) drawn uniformly from [-1, 1) and
 * divided by the mean absolute value over both planes, so that the average displacement magnitude is 1.
 *
 * @param k the control grid size
 * @param x the x plane, {@code k * k} values row by row
 * @param y the y plane
 */
record ControlField(int k, float[] x, float[] y) {

    /** Checks sizes. */
    ControlField {
        if (k < 1 || x.length != k * k || y.length != k * k) {
            throw new IllegalArgumentException("a control field needs two planes of " + k + "x" + k + " values");
        }
        x = x.clone();
        y = y.clone();
    }

    /** Draws the x plane, then the y plane, row by row, with {@code rng.nextFloat() * 2 - 1}, then normalises. */
    static ControlField random(int k, Random rng) {
        float[] x = new float[k * k];
        float[] y = new float[k * k];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextFloat() * 2 - 1;
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = rng.nextFloat() * 2 - 1;
        }
        double meanAbs = 0;
        for (int i = 0; i < x.length; i++) {
            meanAbs += Math.abs(x[i]) + Math.abs(y[i]);
        }
        meanAbs /= 2.0 * x.length;
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (x[i] / meanAbs);
            y[i] = (float) (y[i] / meanAbs);
        }
        return new ControlField(k, x, y);
    }

    @Override
    public float[] x() {
        return x.clone();
    }

    @Override
    public float[] y() {
        return y.clone();
    }
}
