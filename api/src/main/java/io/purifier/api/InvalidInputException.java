package io.purifier.api;

/**
 * The user's input is wrong (a bad parameter, an unreadable file, a directory in the wrong format). The host
 * reports the message as it is, as a 4xx answer or as the failure cause of a step, so it must name what is wrong
 * and, where possible, what would be right.
 */
public class InvalidInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message names the bad input and the reason */
    public InvalidInputException(String message) {
        super(message);
    }

    /**
     * @param message names the bad input and the reason
     * @param cause   the underlying failure, kept for the server log
     */
    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
