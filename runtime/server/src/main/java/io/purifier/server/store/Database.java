package io.purifier.server.store;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The H2 file database under the data directory, migrated by Flyway at open. It is this process's alone: no
 * {@code AUTO_SERVER} (so no TCP port), and an operating-system file lock ({@code FILE_LOCK=FS}) that a second
 * process meets at once ({@link InUseException}) and that a killed process leaves behind no trace of.
 *
 * <p><b>Durability.</b> In H2 2.x a commit changes only the in-memory MVStore maps. With a write delay, a background
 * thread writes them later through asynchronous executors, and a {@code CHECKPOINT SYNC} can fsync the file while
 * a change it believes stored still waits in such an executor (a {@code kill -9} then loses an acknowledged write:
 * found by {@code CrashDurabilityIT} on a loaded machine). With {@code WRITE_DELAY=0} the background thread and its
 * executors are off and every transaction end writes its chunk synchronously, without fsync. So the database runs
 * with {@code WRITE_DELAY=0}, and every write that is acknowledged is followed by a sync (what {@code CHECKPOINT
 * SYNC} does: MVStore commit plus fsync, see {@link StoreHeader}) before the caller returns, with group commit:
 * concurrent writers share one sync. High-frequency telemetry (progress, log lines, curve points) is written without the sync: it is in the
 * operating system's cache at once and on disk with the next sync. A sync also rewrites H2's store header to name
 * the newest chunk ({@link StoreHeader}): without that, crash recovery can stop at an older chunk when a chunk was
 * written into reused free space, and every write since, synced or not, is lost. See docs/architecture.md,
 * "History".</p>
 *
 * <p><b>Closing.</b> H2's own exit hook is off ({@code DB_CLOSE_ON_EXIT=FALSE}): it closed the database while the
 * HTTP server was still answering during a {@code SIGTERM}, and those requests got 500s. The server closes it
 * itself, after HTTP and the run queue ({@code PurifierServer}'s exit hook).</p>
 */
public final class Database implements AutoCloseable {

    /** H2's write delay: 0, so that every commit is written synchronously (see the class comment). */
    public static final int WRITE_DELAY_MS = 0;
    /** The database file name in the data directory. */
    public static final String FILE_NAME = "purifier.mv.db";

    /** Thrown when another process holds the database (a running server, or a headless run). */
    public static final class InUseException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        InUseException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final String WORKER_PREFIX = "purifier-db-";

    private final JdbcConnectionPool pool;
    private final Path file;
    private final ExecutorService workers;
    private final Object syncLock = new Object();
    private long syncRequested;
    private long syncDone;
    private boolean syncing;

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

    /**
     * Opens (creating on first start) and migrates {@code dataDir/purifier.mv.db}.
     *
     * @throws InUseException        when another process holds the database
     * @throws IllegalStateException when the database file is empty, or missing from a data directory that holds
     *                               data of earlier starts (a lost database is never silently replaced)
     */
    public static Database open(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create data directory " + dataDir + ": " + e.getMessage(), e);
        }
        checkFile(dataDir);
        StoreHeader.check();
        Path base = dataDir.toAbsolutePath().resolve("purifier");
        String url = "jdbc:h2:file:" + base + ";FILE_LOCK=FS;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=" + WRITE_DELAY_MS;
        JdbcConnectionPool pool = JdbcConnectionPool.create(url, "purifier", "");
        pool.setMaxConnections(16);
        try {
            Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
            Database db = new Database(pool, base);
            db.sync();
            return db;
        } catch (RuntimeException | SQLException e) {
            pool.dispose();
            SQLException cause = sqlCause(e);
            if (cause != null && isInUse(cause)) {
                throw new InUseException("the database " + dataDir.resolve(FILE_NAME) + " is in use by another Purifier "
                        + "process (a running server or a 'purifier run')", e);
            }
            throw e instanceof RuntimeException re ? re : new StoreException("open " + base, (SQLException) e);
        }
    }

    /** Refuses an empty database file, or a missing one where earlier starts left data. */
    static void checkFile(Path dataDir) {
        Path db = dataDir.resolve(FILE_NAME);
        try {
            if (Files.exists(db)) {
                if (Files.size(db) == 0) {
                    throw new IllegalStateException("the database file " + db + " is empty (0 bytes): it was truncated. "
                            + "Restore it from a backup, or move the data directory away to start with an empty history");
                }
                return;
            }
            for (String earlier : new String[]{"admin-token", "models", "runs", "cache"}) {
                if (Files.exists(dataDir.resolve(earlier))) {
                    throw new IllegalStateException("the database file " + db + " is missing, but " + dataDir
                            + " holds data of earlier starts ('" + earlier + "'). Restore the database from a backup, "
                            + "or move the data directory away to start with an empty history");
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + db + ": " + e.getMessage(), e);
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

    /** Whether a failure to open means that another process holds the file lock. */
    static boolean isInUse(SQLException e) {
        String message = String.valueOf(e.getMessage());
        return e.getErrorCode() == 90020 || message.contains("Database may be already in use")
                || message.contains("already locked") || message.contains("Lock file");
    }

    /** A pooled connection (auto-commit on). Close it after use. */
    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /** How many syncs have completed (each covers every change committed before it started). */
    long syncsDone() {
        synchronized (syncLock) {
            return syncDone;
        }
    }

    /**
     * Forces every committed change to disk (what {@code CHECKPOINT SYNC} does) with the store header pointing at the
     * newest chunk ({@link StoreHeader}) before returning, so that crash recovery finds the change. Concurrent callers share
     * one sync (group commit): a caller returns once a sync that started after its call has completed.
     */
    void sync() throws SQLException {
        onWorker(() -> {
            long ticket;
            synchronized (syncLock) {
                ticket = ++syncRequested;
            }
            while (true) {
                long target;
                synchronized (syncLock) {
                    while (syncing && syncDone < ticket) {
                        try {
                            syncLock.wait();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new SQLException("interrupted while waiting for the database to sync", e);
                        }
                    }
                    if (syncDone >= ticket) {
                        return null;
                    }
                    syncing = true;
                    target = syncRequested;
                }
                boolean done = false;
                try (Connection c = connection()) {
                    StoreHeader.sync(c);
                    done = true;
                } finally {
                    synchronized (syncLock) {
                        syncing = false;
                        if (done) {
                            syncDone = Math.max(syncDone, target);
                        }
                        syncLock.notifyAll();
                    }
                }
            }
        });
    }

    /** The database file's base path (without the .mv.db suffix). */
    public Path file() {
        return file;
    }

    @Override
    public void close() {
        workers.shutdown();
        try {
            workers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.dispose();
    }
}
