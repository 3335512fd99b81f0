-- Users and their bearer tokens (only SHA-256 hashes are stored).
CREATE TABLE users (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    name        VARCHAR(64) NOT NULL UNIQUE,
    role        VARCHAR(16) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at  TIMESTAMP WITH TIME ZONE
);
CREATE TABLE tokens (
    token_hash  CHAR(64) PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users(id),
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Pipeline runs and their steps.
CREATE TABLE runs (
    id           BIGINT AUTO_INCREMENT PRIMARY KEY,
    name         VARCHAR(200) NOT NULL,
    status       VARCHAR(16) NOT NULL,
    spec_json    CLOB NOT NULL,
    seed         BIGINT NOT NULL,
    created_by   VARCHAR(64) NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at   TIMESTAMP WITH TIME ZONE,
    finished_at  TIMESTAMP WITH TIME ZONE,
    progress     DOUBLE PRECISION DEFAULT 0 NOT NULL,
    message      VARCHAR(500),
    error        CLOB,
    owner        VARCHAR(100),
    provenance_json CLOB
);
CREATE INDEX runs_status ON runs(status);

CREATE TABLE steps (
    run_id        BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    idx           INT NOT NULL,
    kind          VARCHAR(16) NOT NULL,
    component_id  VARCHAR(100),
    title         VARCHAR(200) NOT NULL,
    status        VARCHAR(16) NOT NULL,
    params_json   CLOB,
    bundle_bsn    VARCHAR(200),
    bundle_version VARCHAR(100),
    bundle_sha256 CHAR(64),
    started_at    TIMESTAMP WITH TIME ZONE,
    finished_at   TIMESTAMP WITH TIME ZONE,
    progress      DOUBLE PRECISION DEFAULT 0 NOT NULL,
    message       VARCHAR(500),
    error         CLOB,
    summary_json  CLOB,
    PRIMARY KEY (run_id, idx)
);

CREATE TABLE metric_values (
    run_id     BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    step_idx   INT NOT NULL,
    metric_id  VARCHAR(100) NOT NULL,
    name       VARCHAR(100) NOT NULL,
    val        DOUBLE PRECISION NOT NULL,
    direction  VARCHAR(20) NOT NULL,
    unit       VARCHAR(20) NOT NULL,
    ord        INT NOT NULL
);
CREATE INDEX metric_values_run ON metric_values(run_id);

CREATE TABLE curve_points (
    seq       BIGINT AUTO_INCREMENT PRIMARY KEY,
    run_id    BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    step_idx  INT NOT NULL,
    series    VARCHAR(200) NOT NULL,
    x         DOUBLE PRECISION NOT NULL,
    y         DOUBLE PRECISION NOT NULL
);
CREATE INDEX curve_points_run ON curve_points(run_id);

CREATE TABLE log_lines (
    seq       BIGINT AUTO_INCREMENT PRIMARY KEY,
    run_id    BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    step_idx  INT,
    at        TIMESTAMP WITH TIME ZONE NOT NULL,
    level     VARCHAR(8) NOT NULL,
    message   CLOB NOT NULL
);
CREATE INDEX log_lines_run ON log_lines(run_id);

CREATE TABLE artifacts (
    run_id    BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    step_idx  INT NOT NULL,
    name      VARCHAR(300) NOT NULL,
    rel_path  VARCHAR(1000) NOT NULL,
    size      BIGINT NOT NULL,
    sha256    CHAR(64) NOT NULL,
    PRIMARY KEY (run_id, step_idx, name)
);

-- Uploaded models.
CREATE TABLE models (
    id          VARCHAR(40) PRIMARY KEY,
    name        VARCHAR(200) NOT NULL,
    format_id   VARCHAR(100) NOT NULL,
    params_json CLOB NOT NULL,
    file_name   VARCHAR(300) NOT NULL,
    size        BIGINT NOT NULL,
    sha256      CHAR(64) NOT NULL,
    info_json   CLOB NOT NULL,
    uploaded_by VARCHAR(64) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Saved pipelines (the UI's save/load).
CREATE TABLE pipelines (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    name        VARCHAR(200) NOT NULL,
    spec_json   CLOB NOT NULL,
    created_by  VARCHAR(64) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
