package dev.pgfullload.target;

import dev.pgfullload.error.Problem;
import dev.pgfullload.source.TableName;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which runs are alive, as the target sees it. A run holds, for its whole life and on its driver's
 * target session, a session-level advisory lock keyed by its run id, and one keyed by each target
 * table it loads: the server ends them with the session, so they are held exactly as long as the
 * process that loads. Repair re-enables a run's triggers only once it can take that run's lock; a
 * second process with the same run id, or a run that would load a table another live run loads, is
 * refused before it writes anything.
 *
 * <p>The keys are single 64-bit keys (the first 8 bytes of a SHA-256 of the run id or table name, each
 * with a prefix of its own), a key space apart from the two-integer keys of {@code load.max-target-sessions}.
 * Advisory locks belong to one database, so runs into different target databases never meet.
 */
public final class RunLocks {

    private static final Pattern DRIVER_APPLICATION = Pattern.compile("pg-fullload (.+) driver");

    private RunLocks() {
    }

    /** The key a run holds while it runs. */
    public static long runKey(String runId) {
        return key("pg-fullload run " + runId);
    }

    /** The key a run holds for a target table it loads. */
    public static long tableKey(TableName table) {
        return key("pg-fullload table " + table.schema() + "\u0000" + table.name());
    }

    private static long key(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            long key = 0;
            for (int i = 0; i < 8; i++) {
                key = key << 8 | (digest[i] & 0xff);
            }
            return key;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Takes the lock if no other session holds it; a session that holds it already takes it once more. */
    public static boolean tryLock(Connection target, long key) throws SQLException {
        try (PreparedStatement statement = target.prepareStatement("SELECT pg_catalog.pg_try_advisory_lock(?)")) {
            statement.setLong(1, key);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getBoolean(1);
            }
        }
    }

    public static void unlock(Connection target, long key) throws SQLException {
        try (PreparedStatement statement = target.prepareStatement("SELECT pg_catalog.pg_advisory_unlock(?)")) {
            statement.setLong(1, key);
            statement.executeQuery().close();
        }
    }

    /** The other session that holds a lock, as a message names it. */
    public record Holder(int pid, String application, String client, java.time.Instant since) {

        /** The run whose driver session this is, from its application_name; null when it is not one. */
        String runId() {
            Matcher driver = DRIVER_APPLICATION.matcher(application == null ? "" : application);
            return driver.matches() ? driver.group(1) : null;
        }

        @Override
        public String toString() {
            return "session " + pid + (application == null || application.isEmpty() ? "" : " '" + application + "'")
                    + " from " + client + (since == null ? "" : ", connected at " + since);
        }
    }

    /** Another session that holds {@code key} in this database; empty when none does. */
    public static Optional<Holder> holder(Connection target, long key) throws SQLException {
        try (PreparedStatement statement = target.prepareStatement("""
                SELECT l.pid, a.application_name, coalesce(host(a.client_addr), 'a local socket'), a.backend_start
                FROM pg_catalog.pg_locks l LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
                WHERE l.locktype = 'advisory' AND l.objsubid = 1 AND l.granted AND l.pid <> pg_catalog.pg_backend_pid()
                  AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database())
                  AND l.classid = ?::bigint::oid AND l.objid = ?::bigint::oid
                """)) {
            statement.setLong(1, key >>> 32);
            statement.setLong(2, key & 0xffffffffL);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Holder(rows.getInt(1), rows.getString(2), rows.getString(3),
                        rows.getTimestamp(4) == null ? null : rows.getTimestamp(4).toInstant()));
            }
        }
    }

    /**
     * Takes the run's lock and those of its target tables on {@code target}, the session that lives as
     * long as the run; returns a problem for the run id and for each table another live run holds.
     */
    public static List<Problem> take(Connection target, String runId, Collection<TableName> tables) throws SQLException {
        if (!tryLock(target, runKey(runId))) {
            return List.of(alreadyRunning(runId, holder(target, runKey(runId)).orElse(null)));
        }
        List<Problem> problems = new ArrayList<>();
        for (TableName table : tables) {
            if (!tryLock(target, tableKey(table))) {
                problems.add(tableTaken(table, holder(target, tableKey(table)).orElse(null)));
            }
        }
        return problems;
    }

    /** As {@link #take}, without taking anything ({@code --check}): what a run would be refused now. */
    public static List<Problem> check(Connection target, String runId, Collection<TableName> tables) throws SQLException {
        Optional<Holder> run = holder(target, runKey(runId));
        if (run.isPresent()) {
            return List.of(alreadyRunning(runId, run.get()));
        }
        List<Problem> problems = new ArrayList<>();
        for (TableName table : tables) {
            holder(target, tableKey(table)).ifPresent(holder -> problems.add(tableTaken(table, holder)));
        }
        return problems;
    }

    private static Problem alreadyRunning(String runId, Holder holder) {
        return Problem.preflight("run " + runId + " is already running against this target (its process holds the run's"
                + " lock: " + (holder == null ? "a session that has just ended" : holder) + "); wait for it to end, or end"
                + " that process, before running it again; to load other tables at the same time, give this run another --run-id");
    }

    private static Problem tableTaken(TableName table, Holder holder) {
        String run = holder == null || holder.runId() == null ? "another run" : "run " + holder.runId();
        return Problem.preflight("target table " + table + " is being loaded by " + run + " ("
                + (holder == null ? "a session that has just ended" : holder) + "): two runs loading one table would each"
                + " add its rows; wait for that run to end, or leave " + table + " out of this run with tables.exclude");
    }
}
