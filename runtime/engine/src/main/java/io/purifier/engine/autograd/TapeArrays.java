package io.purifier.engine.autograd;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * The arrays a {@link Tape} made and therefore frees on close, kept apart from the arrays it was given (leaves and
 * constants), which stay their owners' even when an operation hands one back unchanged. ND4J keeps array data off the
 * Java heap, so freeing at once matters: the collector runs when the heap fills, not when native memory does.
 */
final class TapeArrays {

    private final Set<INDArray> owned = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<INDArray> given = Collections.newSetFromMap(new IdentityHashMap<>());

    /** Marks {@code a} as a caller's array, never freed here. */
    void given(INDArray a) {
        given.add(a);
    }

    /** Marks {@code a} (made by the tape) to be freed by {@link #free()}, unless it is a caller's; returns it. */
    INDArray own(INDArray a) {
        if (a != null && !given.contains(a)) {
            owned.add(a);
        }
        return a;
    }

    /** Frees every owned array once (views go with their base) and forgets both sets. */
    void free() {
        for (INDArray a : owned) {
            if (!a.wasClosed() && a.closeable()) {
                a.close();
            }
        }
        owned.clear();
        given.clear();
    }

    /** How many arrays {@link #free()} would free. */
    int owned() {
        return owned.size();
    }
}
