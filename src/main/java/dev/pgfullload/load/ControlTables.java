package dev.pgfullload.load;

import dev.pgfullload.jdbc.Connections;
import dev.pgfullload.schema.Identifiers;
import dev.pgfullload.source.TableName;
import dev.pgfullload.target.TriggerSwitch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The control tables in the target ({@code control.schema}): runs, the state of each table in a run,
 * the partitions committed (written in the same transaction as their rows, so a partition is either
 * loaded and recorded or neither), tables whose triggers a run switched off and the state each of
 * their triggers had before, and rejected rows.
 */
public final class ControlTables {

    /** A table's state in a run. */
    public enum State { PENDING, LOADING, LOADED, FAILED, SUSPENDED, VALIDATED }

    /** Every control table, by name. */
    public static final List<String> TABLE_NAMES = List.of("runs", "tables", "partitions", "disabled_triggers", "rejects",
            "trigger_states");

    private final String schema;

    public ControlTables(String schema) {
        this.schema = requireNonNull(schema, "schema is null");
    }

    public String schema() {
        return schema;
    }

    /** The committed-partitions table, quoted, for the executors' writes. */
    public String partitionsTable() {
        return table("partitions");
    }

    public String rejectsTable() {
        return table("rejects");
    }

    private String table(String name) {
        return Identifiers.quote(schema) + "." + Identifiers.quote(name);
    }

    /**
     * True once a run has created the control tables in this target. Read from the catalog by name, so
     * a user without USAGE on the control schema gets an answer, not an error (preflight says what to grant).
     */
    public boolean exists(Connection target) throws SQLException {
        return existing(target).contains("disabled_triggers");
    }

    /** The control tables this target has. */
    private List<String> existing(Connection target) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (PreparedStatement statement = target.prepareStatement("""
                SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = ? AND c.relname = ANY (?) AND c.relkind IN ('r', 'p')
                """)) {
            statement.setString(1, schema);
            statement.setArray(2, target.createArrayOf("text", TABLE_NAMES.toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
        }
        return tables;
    }

    private boolean schemaExists(Connection target) throws SQLException {
        try (PreparedStatement statement = target.prepareStatement("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?")) {
            statement.setString(1, schema);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    /**
     * Creates the schema and the tables that are missing. What exists is left alone, so a user needs
     * CREATE on the database only for a missing schema, and CREATE on the schema only for a missing table.
     */
    public void ensure(Connection target) throws SQLException {
        if (!schemaExists(target)) {
            try (Statement statement = target.createStatement()) {
                statement.execute("CREATE SCHEMA " + Identifiers.quote(schema));
            }
        }
        if (existing(target).containsAll(TABLE_NAMES)) {
            return;
        }
        try (Statement statement = target.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + table("runs") + """
                     (
                        run_id text PRIMARY KEY,
                        started_at timestamptz NOT NULL DEFAULT now(),
                        ended_at timestamptz,
                        state text NOT NULL,
                        prepared boolean NOT NULL DEFAULT false,
                        settings text NOT NULL
                    )""");
            statement.execute("CREATE TABLE IF NOT EXISTS " + table("tables") + """
                     (
                        run_id text NOT NULL,
                        source_table text NOT NULL,
                        target_table text NOT NULL,
                        state text NOT NULL,
                        rows bigint,
                        started_at timestamptz,
                        ended_at timestamptz,
                        error text,
                        plan text[],
                        created boolean NOT NULL DEFAULT false,
                        PRIMARY KEY (run_id, target_table)
                    )""");
            statement.execute("CREATE TABLE IF NOT EXISTS " + table("partitions") + """
                     (
                        run_id text NOT NULL,
                        target_table text NOT NULL,
                        partition integer NOT NULL,
                        rows bigint NOT NULL,
                        committed_at timestamptz NOT NULL DEFAULT now(),
                        PRIMARY KEY (run_id, target_table, partition)
                    )""");
            statement.execute("CREATE TABLE IF NOT EXISTS " + table("disabled_triggers") + """
                     (
                        target_table text PRIMARY KEY,
                        schema_name text NOT NULL,
                        table_name text NOT NULL,
                        run_id text NOT NULL,
                        disabled_at timestamptz NOT NULL DEFAULT now()
                    )""");
            // Added after the others: control tables of an older version get it here, the others left as they are.
            statement.execute("CREATE TABLE IF NOT EXISTS " + table("trigger_states") + """
                     (
                        target_table text NOT NULL,
                        trigger_name text NOT NULL,
                        state text NOT NULL,
                        PRIMARY KEY (target_table, trigger_name)
                    )""");
            statement.execute("CREATE TABLE IF NOT EXISTS " + table("rejects") + """
                     (
                        run_id text NOT NULL,
                        target_table text NOT NULL,
                        partition integer NOT NULL,
                        row_text text NOT NULL,
                        message text NOT NULL,
                        rejected_at timestamptz NOT NULL DEFAULT now()
                    )""");
        }
    }

    /** What the control tables know of a run id. */
    public record RunRecord(String state, boolean prepared) {
    }

    /** The run's record, or null for a new run id. */
    public RunRecord run(Connection target, String runId) throws SQLException {
        try (PreparedStatement statement = target.prepareStatement(
                "SELECT state, prepared FROM " + table("runs") + " WHERE run_id = ?")) {
            statement.setString(1, runId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? new RunRecord(rows.getString(1), rows.getBoolean(2)) : null;
            }
        }
    }

    /** When a run last ended (null while it runs, or if its process died) and the settings it was started with. */
    public record RunHistory(java.time.Instant endedAt, String settings) {
    }

    /** The run's history, or null for a new run id. */
    public RunHistory history(Connection target, String runId) throws SQLException {
        try (PreparedStatement statement = target.prepareStatement(
                "SELECT ended_at, settings FROM " + table("runs") + " WHERE run_id = ?")) {
            statement.setString(1, runId);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return null;
                }
                java.sql.Timestamp ended = rows.getTimestamp(1);
                return new RunHistory(ended == null ? null : ended.toInstant(), rows.getString(2));
            }
        }
    }

    public void startRun(Connection target, String runId, String settings) throws SQLException {
        try (PreparedStatement statement = target.prepareStatement("INSERT INTO " + table("runs")
                + " (run_id, state, settings) VALUES (?, 'running', ?)"
                + " ON CONFLICT (run_id) DO UPDATE SET state = 'running', ended_at = NULL, settings = EXCLUDED.settings")) {
            statement.setString(1, runId);
            statement.setString(2, settings);
            statement.executeUpdate();
        }
    }

    public void markPrepared(Connection target, String runId) throws SQLException {
        update(target, "UPDATE " + table("runs") + " SET prepared = true WHERE run_id = ?", runId);
    }

    public void finishRun(Connection target, String runId, boolean succeeded) throws SQLException {
        update(target, "UPDATE " + table("runs") + " SET state = '" + (succeeded ? "succeeded" : "failed")
                + "', ended_at = now() WHERE run_id = ?", runId);
    }

    /** A table's row in a run. */
    public record TableRecord(State state, long rows, List<String> plan) {
    }

    public Map<String, TableRecord> tables(Connection target, String runId) throws SQLException {
        Map<String, TableRecord> tables = new LinkedHashMap<>();
        try (PreparedStatement statement = target.prepareStatement(
                "SELECT target_table, state, coalesce(rows, 0), plan FROM " + table("tables") + " WHERE run_id = ?")) {
            statement.setString(1, runId);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    List<String> plan = rows.getArray(4) == null ? null : List.of((String[]) rows.getArray(4).getArray());
                    tables.put(rows.getString(1), new TableRecord(State.valueOf(rows.getString(2)), rows.getLong(3), plan));
                }
            }
        }
        return tables;
    }

    /** @param created the run's preparation created the table (its keys and indexes come after the rows) */
    public void pending(Connection target, String runId, TableName source, TableName targetTable, boolean created)
            throws SQLException {
        try (PreparedStatement statement = target.prepareStatement("INSERT INTO " + table("tables")
                + " (run_id, source_table, target_table, state, created) VALUES (?, ?, ?, 'PENDING', ?)"
                + " ON CONFLICT (run_id, target_table) DO UPDATE SET state = 'PENDING', created = EXCLUDED.created, plan = NULL")) {
            statement.setString(1, runId);
            statement.setString(2, source.toString());
            statement.setString(3, targetTable.toString());
            statement.setBoolean(4, created);
            statement.executeUpdate();
        }
    }

    /** The tables the run's preparation created, as schema.table. */
    public List<String> createdTables(Connection target, String runId) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (PreparedStatement statement = target.prepareStatement(
                "SELECT target_table FROM " + table("tables") + " WHERE run_id = ? AND created")) {
            statement.setString(1, runId);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
        }
        return tables;
    }

    /** Records the table's read plan once; a resumed run reads the same partitions. */
    public void loading(Connection target, String runId, TableName targetTable, List<String> plan) throws SQLException {
        try (PreparedStatement statement = target.prepareStatement("UPDATE " + table("tables")
                + " SET state = 'LOADING', started_at = coalesce(started_at, now()), error = NULL, plan = coalesce(plan, ?)"
                + " WHERE run_id = ? AND target_table = ?")) {
            statement.setArray(1, target.createArrayOf("text", plan.toArray()));
            statement.setString(2, runId);
            statement.setString(3, targetTable.toString());
            statement.executeUpdate();
        }
    }

    public void finished(Connection target, String runId, TableName targetTable, State state, long rows, String error)
            throws SQLException {
        try (PreparedStatement statement = target.prepareStatement("UPDATE " + table("tables")
                + " SET state = ?, rows = ?, ended_at = now(), error = ? WHERE run_id = ? AND target_table = ?")) {
            statement.setString(1, state.name());
            statement.setLong(2, rows);
            statement.setString(3, error);
            statement.setString(4, runId);
            statement.setString(5, targetTable.toString());
            statement.executeUpdate();
        }
    }

    /** Partitions already committed for the table in this run, with their rows. */
    public Map<Integer, Long> committedPartitions(Connection target, String runId, TableName targetTable) throws SQLException {
        Map<Integer, Long> partitions = new LinkedHashMap<>();
        try (PreparedStatement statement = target.prepareStatement("SELECT partition, rows FROM " + table("partitions")
                + " WHERE run_id = ? AND target_table = ? ORDER BY partition")) {
            statement.setString(1, runId);
            statement.setString(2, targetTable.toString());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    partitions.put(rows.getInt(1), rows.getLong(2));
                }
            }
        }
        return partitions;
    }

    /**
     * Switches off the table's triggers, recording that and the state of each trigger
     * ({@code pg_trigger.tgenabled}) in the same transaction: a crash leaves either both or neither. A
     * table still recorded (a run ended without its triggers switched back on and nothing repaired it)
     * keeps the states recorded then, the ones its application had.
     */
    public void disableTriggers(Connection target, String runId, TableName table) throws SQLException {
        // Control tables made by an older version lack trigger_states. Tables loaded at once take turns: two
        // concurrent CREATE TABLE IF NOT EXISTS of one table can fail on the catalog's unique index.
        synchronized (this) {
            ensure(target);
        }
        Connections.inTransaction(target, () -> {
            boolean recorded;
            try (PreparedStatement statement = target.prepareStatement("UPDATE " + table("disabled_triggers")
                    + " SET run_id = ?, disabled_at = now() WHERE target_table = ?")) {
                statement.setString(1, runId);
                statement.setString(2, table.toString());
                recorded = statement.executeUpdate() > 0;
            }
            if (!recorded) {
                try (PreparedStatement statement = target.prepareStatement("INSERT INTO " + table("disabled_triggers")
                        + " (target_table, schema_name, table_name, run_id) VALUES (?, ?, ?, ?)")) {
                    statement.setString(1, table.toString());
                    statement.setString(2, table.schema());
                    statement.setString(3, table.name());
                    statement.setString(4, runId);
                    statement.executeUpdate();
                }
                try (PreparedStatement statement = target.prepareStatement("INSERT INTO " + table("trigger_states")
                        + " (target_table, trigger_name, state) SELECT ?, t.tgname, t.tgenabled::text"
                        + " FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid"
                        + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?")) {
                    statement.setString(1, table.toString());
                    statement.setString(2, table.schema());
                    statement.setString(3, table.name());
                    statement.executeUpdate();
                }
            }
            TriggerSwitch.disable(target, table);
            return null;
        });
    }

    /**
     * Puts every trigger of a recorded table back in the state it had before its run switched them off
     * and removes the record, in one transaction. Returns false when the table is not recorded by
     * {@code runId} (any more: a concurrent restore waits for this one's row lock, then finds nothing; or
     * another run has recorded it since, and is loading it). A table recorded by an older version,
     * without states, gets ENABLE TRIGGER ALL, as then.
     */
    public boolean restoreTriggers(Connection target, TableName table, String runId) throws SQLException {
        return Connections.inTransaction(target, () -> {
            try (PreparedStatement statement = target.prepareStatement("SELECT run_id FROM " + table("disabled_triggers")
                    + " WHERE target_table = ? AND run_id = ? FOR UPDATE")) {
                statement.setString(1, table.toString());
                statement.setString(2, runId);
                try (ResultSet rows = statement.executeQuery()) {
                    if (!rows.next()) {
                        return false;
                    }
                }
            }
            Map<String, String> states = new LinkedHashMap<>();
            boolean withStates = existing(target).contains("trigger_states");
            if (withStates) {
                try (PreparedStatement statement = target.prepareStatement("SELECT trigger_name, state FROM "
                        + table("trigger_states") + " WHERE target_table = ?")) {
                    statement.setString(1, table.toString());
                    try (ResultSet rows = statement.executeQuery()) {
                        while (rows.next()) {
                            states.put(rows.getString(1), rows.getString(2));
                        }
                    }
                }
            }
            TriggerSwitch.restore(target, table, states);
            if (withStates) {
                update(target, "DELETE FROM " + table("trigger_states") + " WHERE target_table = ?", table.toString());
            }
            update(target, "DELETE FROM " + table("disabled_triggers") + " WHERE target_table = ?", table.toString());
            return true;
        });
    }

    /** A table left with its triggers off, and the run that left it so. */
    public record DisabledTable(TableName table, String runId) {
    }

    public List<DisabledTable> leftDisabled(Connection target) throws SQLException {
        List<DisabledTable> tables = new ArrayList<>();
        try (Statement statement = target.createStatement();
             ResultSet rows = statement.executeQuery("SELECT schema_name, table_name, run_id FROM " + table("disabled_triggers")
                     + " ORDER BY target_table")) {
            while (rows.next()) {
                tables.add(new DisabledTable(new TableName(rows.getString(1), rows.getString(2)), rows.getString(3)));
            }
        }
        return tables;
    }

    public long rejectedRows(Connection target, String runId, TableName table) throws SQLException {
        try (PreparedStatement statement = target.prepareStatement("SELECT count(*) FROM " + table("rejects")
                + " WHERE run_id = ? AND target_table = ?")) {
            statement.setString(1, runId);
            statement.setString(2, table.toString());
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static void update(Connection target, String sql, String parameter) throws SQLException {
        try (PreparedStatement statement = target.prepareStatement(sql)) {
            statement.setString(1, parameter);
            statement.executeUpdate();
        }
    }
}
