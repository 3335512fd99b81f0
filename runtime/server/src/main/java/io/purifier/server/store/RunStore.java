package io.purifier.server.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.purifier.api.metric.MetricValue;
import io.purifier.server.store.RunRecords.Artifact;
import io.purifier.server.store.RunRecords.Curve;
import io.purifier.server.store.RunRecords.LogLine;
import io.purifier.server.store.RunRecords.MetricRow;
import io.purifier.server.store.RunRecords.RunDetail;
import io.purifier.server.store.RunRecords.RunSummary;
import io.purifier.server.store.RunRecords.Step;
import io.purifier.server.store.RunRecords.StepPlan;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The run history in H2: runs, steps, metric values, curves, log lines, artifacts, provenance, and the executor job
 * of a run (for a re-attach after a restart). Longer than 300 lines because it is the one class that knows these
 * tables' columns; each method is one statement or one transaction.
 */
public final class RunStore {

    private static final int MAX_MESSAGE = 500;

    private final Database db;
    private final Jdbc jdbc;
    private final ObjectMapper json;

    /**
     * @param db   the open database
     * @param json the mapper used for JSON columns
     */
    public RunStore(Database db, ObjectMapper json) {
        this.db = db;
        this.jdbc = new Jdbc(db);
        this.json = json;
    }

    /**
     * Creates a queued run with its planned steps, in one transaction, on disk when this returns (the run is then
     * acknowledged to its submitter); returns the run id.
     */
    public long create(String name, JsonNode spec, long seed, String createdBy, String owner, List<StepPlan> steps) {
        try {
            long id = db.onWorker(() -> insertRun(name, spec, seed, createdBy, owner, steps));
            db.sync(); // the run is acknowledged (201) once this returns: it must survive a crash like every other write
            return id;
        } catch (SQLException e) {
            throw new StoreException("INSERT INTO runs", e);
        }
    }

    private long insertRun(String name, JsonNode spec, long seed, String createdBy, String owner, List<StepPlan> steps)
            throws SQLException {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                long id;
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO runs(name, status, spec_json, seed, created_by, created_at, owner) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        java.sql.Statement.RETURN_GENERATED_KEYS)) {
                    ps.setString(1, truncate(name, 200));
                    ps.setString(2, RunStatus.QUEUED.name());
                    ps.setString(3, write(spec));
                    ps.setLong(4, seed);
                    ps.setString(5, createdBy);
                    ps.setObject(6, Instant.now().atOffset(ZoneOffset.UTC));
                    ps.setString(7, owner);
                    ps.executeUpdate();
                    try (ResultSet keys = ps.getGeneratedKeys()) {
                        keys.next();
                        id = keys.getLong(1);
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO steps(run_id, idx, kind, component_id, title, status) VALUES (?, ?, ?, ?, ?, ?)")) {
                    for (int i = 0; i < steps.size(); i++) {
                        StepPlan step = steps.get(i);
                        ps.setLong(1, id);
                        ps.setInt(2, i);
                        ps.setString(3, step.kind());
                        ps.setString(4, step.componentId());
                        ps.setString(5, truncate(step.title(), 200));
                        ps.setString(6, StepStatus.PENDING.name());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                c.commit();
                return id;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Stores the executor's id of the run's worker (a Slurm job id), which a restarted server re-attaches. */
    public void executorJob(long runId, String jobId) {
        jdbc.update("UPDATE runs SET executor_job = ? WHERE id = ?", jobId, runId);
    }

    /**
     * A queued or running run with an executor job whose server process is gone: a restarted server may re-attach it.
     *
     * @param id          the run
     * @param jobId       its executor job id
     * @param spec        its pipeline as submitted
     * @param user        who submitted it
     * @param runningStep the index of its step that is running, or -1
     */
    public record Detached(long id, String jobId, JsonNode spec, String user, int runningStep) {
    }

    /** The queued or running runs with an executor job whose owning process is gone. */
    public List<Detached> detached(Predicate<String> ownerAlive) {
        record Row(long id, String owner, String job, String spec, String user) {
        }
        List<Row> rows = jdbc.query("SELECT id, owner, executor_job, spec_json, created_by FROM runs "
                        + "WHERE status IN ('QUEUED', 'RUNNING') AND executor_job IS NOT NULL ORDER BY id",
                rs -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
        List<Detached> out = new ArrayList<>();
        for (Row r : rows) {
            if (r.owner() != null && ownerAlive.test(r.owner())) {
                continue;
            }
            List<Integer> running = jdbc.query("SELECT idx FROM steps WHERE run_id = ? AND status = ?", rs -> rs.getInt(1),
                    r.id(), StepStatus.RUNNING.name());
            out.add(new Detached(r.id(), r.job(), read(r.spec()), r.user(), running.isEmpty() ? -1 : running.get(0)));
        }
        return out;
    }

    /**
     * Makes the process {@code owner} the owner of run {@code runId} (it re-attached the run); null leaves the run to
     * whichever server starts next (its server stopped while its job goes on).
     */
    public void adopt(long runId, String owner) {
        jdbc.update("UPDATE runs SET owner = ? WHERE id = ?", owner, runId);
    }

    /** Marks a run as running and stores its provenance. */
    public void started(long runId, JsonNode provenance) {
        jdbc.update("UPDATE runs SET status = ?, started_at = ?, provenance_json = ? WHERE id = ?",
                RunStatus.RUNNING.name(), Instant.now(), write(provenance), runId);
    }

    /** Replaces the provenance record of a run (it grows as steps run). */
    public void provenance(long runId, JsonNode provenance) {
        jdbc.update("UPDATE runs SET provenance_json = ? WHERE id = ?", write(provenance), runId);
    }

    /** Updates the overall progress of a run. */
    public void progress(long runId, double progress, String message) {
        jdbc.updateLazily("UPDATE runs SET progress = ?, message = ? WHERE id = ?", progress, truncate(message, MAX_MESSAGE), runId);
    }

    /** Sets the final status of a run (and its error, if any). Steps still pending become skipped. */
    public void finished(long runId, RunStatus status, String error) {
        jdbc.update("UPDATE runs SET status = ?, finished_at = ?, error = ?, progress = CASE WHEN ? THEN 1.0 ELSE progress END WHERE id = ?",
                status.name(), Instant.now(), error, status == RunStatus.SUCCEEDED, runId);
        jdbc.update("UPDATE steps SET status = ? WHERE run_id = ? AND status = ?",
                StepStatus.SKIPPED.name(), runId, StepStatus.PENDING.name());
    }

    /** Marks a step as running with the plugin's identity and resolved parameters. */
    public void stepStarted(long runId, int step, JsonNode params, String bsn, String version, String sha256) {
        jdbc.update("UPDATE steps SET status = ?, started_at = ?, params_json = ?, bundle_bsn = ?, bundle_version = ?, bundle_sha256 = ? "
                        + "WHERE run_id = ? AND idx = ?",
                StepStatus.RUNNING.name(), Instant.now(), write(params), bsn, version, sha256, runId, step);
    }

    /** Updates a step's progress. */
    public void stepProgress(long runId, int step, double progress, String message) {
        jdbc.updateLazily("UPDATE steps SET progress = ?, message = ? WHERE run_id = ? AND idx = ?",
                progress, truncate(message, MAX_MESSAGE), runId, step);
    }

    /** Sets a step's final status, error and summary. */
    public void stepFinished(long runId, int step, StepStatus status, String error, JsonNode summary) {
        jdbc.update("UPDATE steps SET status = ?, finished_at = ?, error = ?, summary_json = ?, "
                        + "progress = CASE WHEN ? THEN 1.0 ELSE progress END WHERE run_id = ? AND idx = ?",
                status.name(), Instant.now(), error, write(summary), status == StepStatus.SUCCEEDED, runId, step);
    }

    /** Stores a metric's values for a step. */
    public void metrics(long runId, int step, String metricId, List<MetricValue> values) {
        int ord = 0;
        for (MetricValue v : values) {
            jdbc.update("INSERT INTO metric_values(run_id, step_idx, metric_id, name, val, direction, unit, ord) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    runId, step, metricId, v.name(), v.value(), v.direction().name(), v.unit(), ord++);
        }
    }

    /** Stores one curve point. */
    public void curvePoint(long runId, int step, String series, double x, double y) {
        jdbc.updateLazily("INSERT INTO curve_points(run_id, step_idx, series, x, y) VALUES (?, ?, ?, ?, ?)", runId, step, series, x, y);
    }

    /** Appends a log line (step may be null for run-level lines); returns its sequence number. */
    public long log(long runId, Integer step, String level, String message) {
        return jdbc.insertReturningKeyLazily("INSERT INTO log_lines(run_id, step_idx, at, level, message) VALUES (?, ?, ?, ?, ?)",
                runId, step, Instant.now(), level, message);
    }

    /** Records an artifact file (path relative to the data directory). */
    public void artifact(long runId, int step, String name, String relativePath, long size, String sha256) {
        jdbc.update("MERGE INTO artifacts(run_id, step_idx, name, rel_path, size, sha256) KEY(run_id, step_idx, name) VALUES (?, ?, ?, ?, ?, ?)",
                runId, step, name, relativePath, size, sha256);
    }

    /** Runs, newest first, optionally filtered by status. */
    public List<RunSummary> list(int limit, int offset, RunStatus status) {
        if (status == null) {
            return jdbc.query("SELECT * FROM runs ORDER BY id DESC LIMIT ? OFFSET ?", RunStore::summary, limit, offset);
        }
        return jdbc.query("SELECT * FROM runs WHERE status = ? ORDER BY id DESC LIMIT ? OFFSET ?", RunStore::summary,
                status.name(), limit, offset);
    }

    /** Runs with exactly this name, newest first (the benchmark's resume looks its cells up this way). */
    public List<RunSummary> byName(String name) {
        return jdbc.query("SELECT * FROM runs WHERE name = ? ORDER BY id DESC", RunStore::summary, name);
    }

    /** The summary of one run. */
    public Optional<RunSummary> summary(long runId) {
        return Optional.ofNullable(jdbc.queryOne("SELECT * FROM runs WHERE id = ?", RunStore::summary, runId));
    }

    /** Everything about one run. */
    public Optional<RunDetail> detail(long runId) {
        record Head(RunSummary summary, String spec, String provenance) {
        }
        Head head = jdbc.queryOne("SELECT * FROM runs WHERE id = ?",
                rs -> new Head(summary(rs), rs.getString("spec_json"), rs.getString("provenance_json")), runId);
        if (head == null) {
            return Optional.empty();
        }
        List<Step> steps = jdbc.query("SELECT * FROM steps WHERE run_id = ? ORDER BY idx", rs -> new Step(
                rs.getInt("idx"), rs.getString("kind"), rs.getString("component_id"), rs.getString("title"),
                StepStatus.valueOf(rs.getString("status")), rs.getDouble("progress"), rs.getString("message"),
                read(rs.getString("params_json")), rs.getString("bundle_bsn"), rs.getString("bundle_version"),
                rs.getString("bundle_sha256"), Jdbc.instant(rs, "started_at"), Jdbc.instant(rs, "finished_at"),
                rs.getString("error"), read(rs.getString("summary_json"))), runId);
        List<MetricRow> metrics = jdbc.query("SELECT * FROM metric_values WHERE run_id = ? ORDER BY step_idx, metric_id, ord",
                rs -> new MetricRow(rs.getInt("step_idx"), rs.getString("metric_id"), rs.getString("name"),
                        rs.getDouble("val"), rs.getString("direction"), rs.getString("unit")), runId);
        Map<String, Curve> curves = new LinkedHashMap<>();
        jdbc.query("SELECT step_idx, series, x, y FROM curve_points WHERE run_id = ? ORDER BY step_idx, series, seq", rs -> {
            int step = rs.getInt(1);
            String series = rs.getString(2);
            curves.computeIfAbsent(step + "\u0000" + series, k -> new Curve(step, series, new ArrayList<>()))
                    .points().add(new double[]{rs.getDouble(3), rs.getDouble(4)});
            return null;
        }, runId);
        List<Artifact> artifacts = artifacts(runId);
        return Optional.of(new RunDetail(head.summary(), read(head.spec()), read(head.provenance()), steps, metrics,
                List.copyOf(curves.values()), artifacts));
    }

    /** The artifacts of a run. */
    public List<Artifact> artifacts(long runId) {
        return jdbc.query("SELECT * FROM artifacts WHERE run_id = ? ORDER BY step_idx, name", rs -> new Artifact(
                rs.getInt("step_idx"), rs.getString("name"), rs.getString("rel_path"), rs.getLong("size"),
                rs.getString("sha256")), runId);
    }

    /** Log lines of a run after {@code afterSeq}, oldest first. */
    public List<LogLine> logs(long runId, long afterSeq, int limit) {
        return jdbc.query("SELECT * FROM log_lines WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?", rs -> new LogLine(
                rs.getLong("seq"), (Integer) rs.getObject("step_idx"), Jdbc.instant(rs, "at"), rs.getString("level"),
                rs.getString("message")), runId, afterSeq, limit);
    }

    /**
     * Marks queued or running runs whose owning process is gone as interrupted (with their running steps);
     * returns how many runs changed. Runs owned by a live process (another server sharing the database) stay.
     */
    public int markInterrupted(Predicate<String> ownerAlive) {
        return markInterrupted(ownerAlive, false);
    }

    /**
     * As {@link #markInterrupted(Predicate)}; with {@code keepJobs} runs that have an executor job are left for the
     * executor to re-attach ({@link #detached}).
     */
    public int markInterrupted(Predicate<String> ownerAlive, boolean keepJobs) {
        record Orphan(long id, String owner, String job) {
        }
        List<Orphan> candidates = jdbc.query("SELECT id, owner, executor_job FROM runs WHERE status IN ('QUEUED', 'RUNNING')",
                rs -> new Orphan(rs.getLong(1), rs.getString(2), rs.getString(3)));
        int changed = 0;
        for (Orphan orphan : candidates) {
            if (orphan.owner() != null && ownerAlive.test(orphan.owner()) || keepJobs && orphan.job() != null) {
                continue;
            }
            jdbc.update("UPDATE steps SET status = ?, finished_at = ?, error = ? WHERE run_id = ? AND status = ?",
                    StepStatus.FAILED.name(), Instant.now(), "the server stopped while this step was running",
                    orphan.id(), StepStatus.RUNNING.name());
            finished(orphan.id(), RunStatus.INTERRUPTED, "the server stopped before this run finished");
            log(orphan.id(), null, "WARN", "marked interrupted at server start: its server process had stopped");
            changed++;
        }
        return changed;
    }

    private String write(JsonNode node) {
        if (node == null) {
            return null;
        }
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise JSON", e);
        }
    }

    private JsonNode read(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is corrupt: " + e.getOriginalMessage(), e);
        }
    }

    private static RunSummary summary(ResultSet rs) throws SQLException {
        return new RunSummary(rs.getLong("id"), rs.getString("name"), RunStatus.valueOf(rs.getString("status")),
                rs.getDouble("progress"), rs.getString("message"), rs.getLong("seed"), rs.getString("created_by"),
                Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "started_at"), Jdbc.instant(rs, "finished_at"),
                rs.getString("error"));
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
