-- Per-run worker credentials: a worker process may report for exactly one run, until the run ends or the
-- credential expires. Only SHA-256 hashes are stored.
CREATE TABLE worker_tokens (
    token_hash  CHAR(64) PRIMARY KEY,
    run_id      BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX worker_tokens_run ON worker_tokens(run_id);
