package io.purifier.server.store;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The H2 file database under the data directory, migrated by Flyway at open. {@code AUTO_SERVER} lets a second
 * local process (for example {@code purifier user add} while the server runs) share the file safely.
 */
public final class Database implements AutoCloseable {

    private final JdbcConnectionPool pool;
    private final Path file;

    private Database(JdbcConnectionPool pool, Path file) {
        this.pool = pool;
        this.file = file;
    }

    /** Opens (creating if needed) and migrates {@code dataDir/purifier.mv.db}. */
    public static Database open(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create data directory " + dataDir + ": " + e.getMessage(), e);
        }
        Path base = dataDir.toAbsolutePath().resolve("purifier");
        String url = "jdbc:h2:file:" + base + ";AUTO_SERVER=TRUE;WRITE_DELAY=0";
        JdbcConnectionPool pool = JdbcConnectionPool.create(url, "purifier", "");
        pool.setMaxConnections(16);
        for (int attempt = 1; ; attempt++) {
            try {
                Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
                return new Database(pool, base);
            } catch (RuntimeException e) {
                SQLException cause = sqlCause(e);
                if (attempt >= 8 || cause == null || !isTransient(cause)) {
                    pool.dispose();
                    throw e;
                }
                sleep(250L * attempt);
            }
        }
    }

    private static SQLException sqlCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the database", e);
        }
    }

    /** A pooled connection (auto-commit on). Close it after use. */
    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /**
     * Whether a failure is due to another process sharing the file (lock file busy, the sharing process's server
     * gone) and worth retrying on a fresh connection.
     */
    static boolean isTransient(SQLException e) {
        int code = e.getErrorCode();
        String message = String.valueOf(e.getMessage());
        return code == 90020 || code == 90067 || code == 90098 || code == 90121 || code == 8000
                || message.contains("Lock file") || message.contains("Connection is broken");
    }

    /** The database file's base path (without the .mv.db suffix). */
    public Path file() {
        return file;
    }

    @Override
    public void close() {
        pool.dispose();
    }
}
