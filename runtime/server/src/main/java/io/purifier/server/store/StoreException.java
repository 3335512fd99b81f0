package io.purifier.server.store;

/** A database operation failed; the message keeps the statement for the server log. */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StoreException(String sql, Throwable cause) {
        super("database operation failed (" + sql.lines().findFirst().orElse(sql).trim() + "): " + cause.getMessage(), cause);
    }
}
