package io.purifier.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Small JDBC helpers so the stores stay readable. SQL failures become {@link StoreException}. */
final class Jdbc {

    /** Maps one result row. */
    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** One database call on a fresh pooled connection. */
    @FunctionalInterface
    private interface Call<T> {
        T run(Connection c) throws SQLException;
    }

    private final Database db;

    Jdbc(Database db) {
        this.db = db;
    }

    /** Runs an insert, update or delete and returns once it is on disk (see {@link Database#sync()}). */
    int update(String sql, Object... args) {
        return durably(sql, () -> updateLazily(sql, args));
    }

    /**
     * Runs an insert, update or delete without forcing it to disk (for high-frequency telemetry such as progress and
     * log lines): it survives a killed process at once, and a machine crash once the next durable write has synced.
     */
    int updateLazily(String sql, Object... args) {
        return call(sql, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, args);
                return ps.executeUpdate();
            }
        });
    }

    /** Runs an insert and returns its generated key once it is on disk. */
    long insertReturningKey(String sql, Object... args) {
        return durably(sql, () -> insertReturningKeyLazily(sql, args));
    }

    /** Runs an insert and returns its generated key; it may be lost in a crash (see {@link #updateLazily}). */
    long insertReturningKeyLazily(String sql, Object... args) {
        return call(sql, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql, java.sql.Statement.RETURN_GENERATED_KEYS)) {
                bind(ps, args);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    if (!keys.next()) {
                        throw new SQLException("no generated key");
                    }
                    return keys.getLong(1);
                }
            }
        });
    }

    <T> List<T> query(String sql, RowMapper<T> mapper, Object... args) {
        return call(sql, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, args);
                try (ResultSet rs = ps.executeQuery()) {
                    List<T> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(mapper.map(rs));
                    }
                    return out;
                }
            }
        });
    }

    private <T> T durably(String sql, java.util.function.Supplier<T> write) {
        T result = write.get();
        try {
            db.sync();
        } catch (SQLException e) {
            throw new StoreException(sql, e);
        }
        return result;
    }

    /** Runs {@code call} on a fresh pooled connection on one of the database's threads. */
    private <T> T call(String sql, Call<T> call) {
        try {
            return db.onWorker(() -> {
                try (Connection c = db.connection()) {
                    return call.run(c);
                }
            });
        } catch (SQLException e) {
            throw new StoreException(sql, e);
        }
    }

    <T> T queryOne(String sql, RowMapper<T> mapper, Object... args) {
        List<T> rows = query(sql, mapper, args);
        return rows.isEmpty() ? null : rows.get(0);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static void bind(PreparedStatement ps, Object[] args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a == null) {
                ps.setNull(i + 1, Types.NULL);
            } else if (a instanceof Instant t) {
                ps.setObject(i + 1, t.atOffset(ZoneOffset.UTC));
            } else if (a instanceof Timestamp t) {
                ps.setTimestamp(i + 1, t);
            } else {
                ps.setObject(i + 1, a);
            }
        }
    }
}
