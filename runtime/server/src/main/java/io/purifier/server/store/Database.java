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
        Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
        return new Database(pool, base);
    }

    /** A pooled connection (auto-commit on). Close it after use. */
    public Connection connection() throws SQLException {
        return pool.getConnection();
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
