package io.purifier.server.store;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The H2 file database under the data directory, migrated by Flyway at open. {@code AUTO_SERVER} lets a second
 * local process (for example {@code purifier user add} while the server runs) share the file safely.
 */
public final class Database implements AutoCloseable {

    private final JdbcConnectionPool pool;
    private final Path file;
    private final ExecutorService workers;

    private Database(JdbcConnectionPool pool, Path file) {
        this.pool = pool;
        this.file = file;
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, WORKER_PREFIX + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    private static final String WORKER_PREFIX = "purifier-db-";

    /** Database work on behalf of a caller. */
    @FunctionalInterface
    interface Work<T> {
        T run() throws SQLException;
    }

    /**
     * Runs {@code work} on one of the database's own threads and waits for it without being interruptible.
     *
     * <p>H2 closes its file channel when a thread is interrupted in the middle of file I/O, which breaks the
     * database for everyone. Plugin step threads are interrupted on cancellation and time-outs, so no caller's
     * thread touches the file: the work always runs on a worker that is never interrupted. The caller's interrupt
     * status is kept and restored.</p>
     */
    <T> T onWorker(Work<T> work) throws SQLException {
        if (Thread.currentThread().getName().startsWith(WORKER_PREFIX)) {
            return work.run();
        }
        Future<T> result = workers.submit(work::run);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return result.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof SQLException sql) {
                        throw sql;
                    }
                    if (cause instanceof RuntimeException re) {
                        throw re;
                    }
                    if (cause instanceof Error err) {
                        throw err;
                    }
                    throw new SQLException(cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
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
        workers.shutdown();
        try {
            workers.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.dispose();
    }
}
