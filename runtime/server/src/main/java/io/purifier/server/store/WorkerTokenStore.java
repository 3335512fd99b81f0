package io.purifier.server.store;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Worker credentials: one random token per run, given to the process that executes the run (in its environment,
 * never on a command line). Only the SHA-256 hash is stored, with the run id and an expiry. A credential is valid for
 * that run's worker endpoints only and is revoked when the run ends.
 */
public final class WorkerTokenStore {

    /** Every worker credential starts with this, so it is never mistaken for a user token. */
    public static final String PREFIX = "pwk_";

    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * What a presented worker credential grants.
     *
     * @param runId     the one run it may report for
     * @param expiresAt when it stops working
     */
    public record Grant(long runId, Instant expiresAt) {

        /** Whether the credential has expired at {@code now}. */
        public boolean expiredAt(Instant now) {
            return !now.isBefore(expiresAt);
        }
    }

    private final Jdbc jdbc;

    /** @param db the open database */
    public WorkerTokenStore(Database db) {
        this.jdbc = new Jdbc(db);
    }

    /** Issues a credential for run {@code runId} valid until {@code expiresAt}; returns the plain token (shown once). */
    public String issue(long runId, Instant expiresAt) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        jdbc.update("INSERT INTO worker_tokens(token_hash, run_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
                UserStore.hash(token), runId, Instant.now(), expiresAt);
        return token;
    }

    /** The grant of {@code token}, expired or not; empty when it is unknown or was revoked. */
    public Optional<Grant> find(String token) {
        if (token == null || !token.startsWith(PREFIX)) {
            return Optional.empty();
        }
        return Optional.ofNullable(jdbc.queryOne("SELECT run_id, expires_at FROM worker_tokens WHERE token_hash = ?",
                rs -> new Grant(rs.getLong(1), Jdbc.instant(rs, "expires_at")), UserStore.hash(token)));
    }

    /** Revokes every credential of run {@code runId} (the run ended). */
    public void revoke(long runId) {
        jdbc.update("DELETE FROM worker_tokens WHERE run_id = ?", runId);
    }

    /**
     * Revokes the credentials of every run that is no longer queued or running (at server start, after the runs of a
     * stopped server were marked interrupted). Returns how many were revoked.
     */
    public int revokeEnded() {
        return jdbc.update("DELETE FROM worker_tokens WHERE run_id IN "
                + "(SELECT id FROM runs WHERE status NOT IN ('QUEUED', 'RUNNING'))");
    }
}
