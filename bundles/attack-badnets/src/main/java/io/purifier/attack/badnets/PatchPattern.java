package io.purifier.attack.badnets;

import java.util.List;

/** The built-in patch contents (used when no trigger image is given). */
enum PatchPattern {
    /** Every patch pixel is 1 on every channel (BadNets' white square). */
    WHITE("white"),
    /**
     * A black-and-white checkerboard: pixel (r, c) of the patch is 1 when {@code r + c} is even, else 0, so the
     * top-left pixel is white.
     */
    CHECKERBOARD("checkerboard");

    /** The choices as they appear in the parameter descriptor, default first. */
    static final List<String> CHOICES = List.of("white", "checkerboard");

    private final String id;

    PatchPattern(String id) {
        this.id = id;
    }

    /** The pattern for a descriptor choice. */
    static PatchPattern fromId(String id) {
        for (PatchPattern pattern : values()) {
            if (pattern.id.equals(id)) {
                return pattern;
            }
        }
        throw new IllegalArgumentException("unknown patch pattern '" + id + "' (expected one of " + CHOICES + ")");
    }

    /** The descriptor form. */
    String id() {
        return id;
    }

    /** The value of patch pixel ({@code row}, {@code column}). */
    float value(int row, int column) {
        return this == WHITE || (row + column) % 2 == 0 ? 1f : 0f;
    }
}
