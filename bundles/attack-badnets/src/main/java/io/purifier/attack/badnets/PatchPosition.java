package io.purifier.attack.badnets;

import java.util.List;

/** Where the square patch sits in the image. */
enum PatchPosition {
    /** Touching the bottom and right borders (BackdoorBench's default: rows and columns H-3..H-1 for 3 px). */
    BOTTOM_RIGHT("bottom-right"),
    /** Touching the top and left borders. */
    TOP_LEFT("top-left"),
    /** Touching the top and right borders. */
    TOP_RIGHT("top-right"),
    /** Touching the bottom and left borders. */
    BOTTOM_LEFT("bottom-left"),
    /** At the column and row given by {@code patchX} and {@code patchY}. */
    CUSTOM("custom");

    /** The choices as they appear in the parameter descriptor, default first. */
    static final List<String> CHOICES = List.of("bottom-right", "top-left", "top-right", "bottom-left", "custom");

    private final String id;

    PatchPosition(String id) {
        this.id = id;
    }

    /** The position for a descriptor choice. */
    static PatchPosition fromId(String id) {
        for (PatchPosition position : values()) {
            if (position.id.equals(id)) {
                return position;
            }
        }
        throw new IllegalArgumentException("unknown patch position '" + id + "' (expected one of " + CHOICES + ")");
    }

    /** The descriptor form. */
    String id() {
        return id;
    }

    /** The patch's top row for a patch of {@code size} pixels in an image {@code height} pixels high. */
    int top(int size, int height, int customY) {
        return switch (this) {
            case BOTTOM_RIGHT, BOTTOM_LEFT -> height - size;
            case TOP_LEFT, TOP_RIGHT -> 0;
            case CUSTOM -> customY;
        };
    }

    /** The patch's left column for a patch of {@code size} pixels in an image {@code width} pixels wide. */
    int left(int size, int width, int customX) {
        return switch (this) {
            case BOTTOM_RIGHT, TOP_RIGHT -> width - size;
            case TOP_LEFT, BOTTOM_LEFT -> 0;
            case CUSTOM -> customX;
        };
    }
}
