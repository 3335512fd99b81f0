package io.purifier.server.store;

import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.RandomAccessStore;
import org.h2.mvstore.db.Store;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Points the H2 file's store header at the newest chunk, so that crash recovery finds every synced write.
 *
 * <p><b>Why.</b> H2 (2.5.252, MVStore) appends each commit as a chunk. After a {@code kill -9}, recovery starts from
 * the chunk named in the file header and follows each chunk's predicted {@code next} position; besides that it only
 * looks at the chunk at the very end of the file. When a chunk is written into reused free space away from the
 * predicted position, {@code RandomAccessStore.writeChunk} rewrites the header, but
 * {@code FileStore.storeBuffer} sets {@code lastChunk} only after {@code writeChunk} returns, so the header names
 * the chunk <i>before</i> the new one. Recovery then stops at that older chunk, and the new chunk and every chunk
 * chained from it are ignored: all writes since then are lost, synced or not (reproduced by
 * {@code CrashRecoveryTest}: 12 of 15 synced writes lost on a grown database whose freed chunks are reused).
 * Free space is reused once a dead chunk is older than the retention time (45 s), which is why a server that took
 * long to start on a grown, compacted database lost its first writes.</p>
 *
 * <p><b>What.</b> {@link #sync} does what {@code CHECKPOINT SYNC} does (commit the store, force the file) and, between
 * the two, rewrites the header (both copies, 8 KB at the start of the file) under the store's chunk lock, naming the
 * last chunk written; one force covers both. H2 offers no public call for this, so the private
 * {@code RandomAccessStore.writeStoreHeader} and the {@code FileStore.saveChunkLock} field are reached by
 * reflection; {@link #check} verifies at open that they exist, so an H2 upgrade that changes them fails at start
 * instead of silently losing writes.</p>
 */
final class StoreHeader {

    private static final Method WRITE_STORE_HEADER;
    private static final Field SAVE_CHUNK_LOCK;
    private static final String PROBLEM;

    static {
        Method method = null;
        Field field = null;
        String problem = null;
        try {
            method = RandomAccessStore.class.getDeclaredMethod("writeStoreHeader");
            method.setAccessible(true);
            field = FileStore.class.getDeclaredField("saveChunkLock");
            field.setAccessible(true);
            if (field.getType() != ReentrantLock.class) {
                problem = "FileStore.saveChunkLock is a " + field.getType().getName();
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            problem = e.toString();
        }
        WRITE_STORE_HEADER = method;
        SAVE_CHUNK_LOCK = field;
        PROBLEM = problem;
    }

    private StoreHeader() {
    }

    /** Fails when this H2 version lacks the internals {@link #sync} relies on. */
    static void check() {
        if (PROBLEM != null) {
            throw new IllegalStateException("this H2 version does not offer the store-header internals Purifier relies on "
                    + "for crash durability (docs/architecture.md, \"History\"): " + PROBLEM);
        }
    }

    /**
     * Forces every committed change of the database behind {@code connection} to disk, with the store header naming
     * the newest chunk: what {@code CHECKPOINT SYNC} does (under the same lock: commit the store, force the file),
     * plus the header rewrite before the one force.
     */
    static void sync(Connection connection) throws SQLException {
        check();
        org.h2.engine.Database database = database(connection);
        synchronized (database) {
            if (database.isReadOnly()) {
                return;
            }
            Store store = database.getStore();
            store.flush();
            MVStore mvStore = store.getMvStore();
            if (mvStore.getFileStore() instanceof RandomAccessStore file) {
                pointAtNewestChunk(file);
            }
            mvStore.sync();
        }
    }

    private static void pointAtNewestChunk(RandomAccessStore file) throws SQLException {
        try {
            ReentrantLock lock = (ReentrantLock) SAVE_CHUNK_LOCK.get(file);
            lock.lock();
            try {
                WRITE_STORE_HEADER.invoke(file);
            } finally {
                lock.unlock();
            }
        } catch (IllegalAccessException e) {
            throw new SQLException("cannot write the database's store header", e);
        } catch (InvocationTargetException e) {
            throw new SQLException("writing the database's store header failed: " + e.getCause(), e.getCause());
        }
    }

    private static org.h2.engine.Database database(Connection connection) throws SQLException {
        JdbcConnection jdbc = connection.unwrap(JdbcConnection.class);
        if (!(jdbc.getSession() instanceof SessionLocal session)) {
            throw new SQLException("not an embedded H2 connection: " + jdbc.getSession().getClass().getName());
        }
        return session.getDatabase();
    }
}
