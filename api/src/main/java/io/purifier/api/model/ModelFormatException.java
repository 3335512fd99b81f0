package io.purifier.api.model;

import io.purifier.api.InvalidInputException;

/** A model file cannot be read or written in this format; the message names the problem (e.g. a layer type). */
public class ModelFormatException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    /** @param message names the file problem */
    public ModelFormatException(String message) {
        super(message);
    }

    /**
     * @param message names the file problem
     * @param cause   the underlying failure
     */
    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
