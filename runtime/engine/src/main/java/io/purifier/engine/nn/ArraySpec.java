package io.purifier.engine.nn;

import io.purifier.engine.model.ParamInit;

/**
 * An array a layer owns.
 *
 * @param suffix the name within the layer ({@code W}, {@code b}, {@code gamma}, {@code mean}, ...)
 * @param shape  its shape
 * @param kind   trained parameter or buffer (running statistics, masks, constants)
 * @param init   how it is initialised
 */
public record ArraySpec(String suffix, long[] shape, Kind kind, ParamInit init) {

    /** Parameter or buffer. */
    public enum Kind {
        /** Updated by optimisers; has gradients. */
        PARAMETER,
        /** State that is not trained by gradient (running statistics, masks, normalisation constants). */
        BUFFER
    }

    /** A trained parameter. */
    public static ArraySpec parameter(String suffix, ParamInit init, long... shape) {
        return new ArraySpec(suffix, shape, Kind.PARAMETER, init);
    }

    /** A buffer. */
    public static ArraySpec buffer(String suffix, ParamInit init, long... shape) {
        return new ArraySpec(suffix, shape, Kind.BUFFER, init);
    }
}
