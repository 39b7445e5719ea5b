package dev.pgfullload.source;

import dev.pgfullload.config.ParallelLoad;
import dev.pgfullload.config.TableSelection;
import dev.pgfullload.error.Problem;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * What pg-fullload knows about one source engine: how to find its tables and how to read each
 * column so that its value reaches the target unchanged. Implementations hold no state.
 */
public interface SourceDialect {

    /** The selected tables, with columns, keys and estimates, and the foreign keys between tables. */
    SourceCatalog discover(Connection connection, TableSelection selection) throws SQLException;

    /**
     * The select-list expression that reads {@code column} in the form its {@link ColumnKind} travels in;
     * with {@code binary}, a column for which {@link SourceColumn#readAsBinary} holds is read in a binary form instead.
     */
    String selectExpression(SourceColumn column, boolean binary);

    default String selectExpression(SourceColumn column) {
        return selectExpression(column, false);
    }

    /** {@code SELECT} and the expressions that read every data column of {@code table} (generated columns are the target's to compute). */
    default String selectList(SourceTable table, boolean binary) {
        StringBuilder sql = new StringBuilder("SELECT ");
        List<SourceColumn> columns = table.dataColumns();
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(selectExpression(columns.get(i), binary));
        }
        return sql.toString();
    }

    default String selectList(SourceTable table) {
        return selectList(table, false);
    }

    /** The query that reads every data column of the whole of {@code table}. */
    default String selectQuery(SourceTable table) {
        return selectList(table) + " FROM " + relation(table);
    }

    /** What a FROM clause names to read the rows of {@code table} and no other table's. */
    default String relation(SourceTable table) {
        return table.name().quoted();
    }

    /** How to split {@code table} into read partitions of about the given size. */
    List<ReadPartition> planPartitions(Connection connection, SourceTable table, PartitionSizing sizing, ParallelLoad ranges)
            throws SQLException;

    default List<ReadPartition> planPartitions(Connection connection, SourceTable table, PartitionSizing sizing) throws SQLException {
        return planPartitions(connection, table, sizing, null);
    }

    /**
     * What is wrong with the read partitions given by hand for {@code table} (a column it lacks, values
     * of the wrong type, boundaries out of order), each as a sentence; empty when they are sound.
     */
    default List<String> rangeProblems(Connection connection, SourceTable table, ParallelLoad ranges) throws SQLException {
        return List.of();
    }

    /**
     * What the source user lacks to read {@code tables}, each problem with the statement that grants it;
     * empty when it may read them all (or when the dialect cannot tell).
     */
    default List<Problem> readProblems(Connection connection, List<SourceTable> tables) throws SQLException {
        return List.of();
    }

    /**
     * A column whose type the target changes.
     *
     * @param targetType its type in the target, e.g. {@code text} or {@code text[]}
     * @param setting the setting that changes it, e.g. {@code transform.json-as-text}
     * @param remedy what the user can do instead, e.g. "set transform.json-as-text = false ..."
     */
    record TypeChange(String targetType, String setting, String remedy) {
    }

    /**
     * The indexes, CHECK constraints and generated columns of {@code table} (and of its partitions) that
     * use a column of {@code changes} (by source column name) and would not work once its type has
     * changed, each as a problem naming the object, the column and what to do; empty when all of them work.
     */
    default List<Problem> typeChangeProblems(Connection connection, SourceTable table, java.util.Map<String, TypeChange> changes)
            throws SQLException {
        return List.of();
    }

    /** Statements run once on each reading session before the first row, or null. */
    String sessionInitStatement();

    /**
     * Opens, on {@code connection}, a read-only transaction whose snapshot every reading session of
     * the run then shares, and returns that snapshot's name; the caller keeps the transaction open
     * until the last read. Null when the source has no such thing: each partition is then read in a
     * snapshot of its own.
     */
    default String exportSnapshot(Connection connection) throws SQLException {
        return null;
    }

    /**
     * On the session holding the exported snapshot: keeps {@code tables} from being emptied or rewritten
     * until the load ends (statements that are not bound by snapshots, such as TRUNCATE, would otherwise
     * make a table not yet read look empty to it). Throws when another session holds one exclusively.
     */
    default void lockTables(Connection connection, List<SourceTable> tables) throws SQLException {
    }

    /**
     * The statements that put a reading session's transaction into {@code snapshot}, run before
     * anything else in it: with {@code open}, in a transaction the driver already began (autocommit
     * off); without, they begin it themselves. Null for a null snapshot.
     */
    default String snapshotStatement(String snapshot, boolean open) {
        return null;
    }

    /**
     * For a message about a statement that gave up waiting for a table lock: the other sessions that
     * hold, or wait for, exclusive locks on the source's tables, as "schema.table: held by pid N
     * (application, state: query)"; empty when none is found or the source cannot tell.
     */
    default List<String> exclusiveLockHolders(Connection connection) {
        return List.of();
    }

    /** The statement that makes a session wait at most {@code millis} for a table lock; null when the source has none. */
    default String lockTimeoutStatement(long millis) {
        return null;
    }

    /**
     * {@link #snapshotStatement}, then {@link #lockTimeoutStatement} when {@code lockTimeoutMillis} is not
     * 0, then {@link #sessionInitStatement}; any of them null, or null.
     */
    default String readingSessionStatement(String snapshot, boolean open, long lockTimeoutMillis) {
        List<String> statements = new java.util.ArrayList<>();
        if (snapshot != null && snapshotStatement(snapshot, open) != null) {
            statements.add(snapshotStatement(snapshot, open));
        }
        if (lockTimeoutMillis > 0 && lockTimeoutStatement(lockTimeoutMillis) != null) {
            statements.add(lockTimeoutStatement(lockTimeoutMillis));
        }
        if (sessionInitStatement() != null) {
            statements.add(sessionInitStatement());
        }
        return statements.isEmpty() ? null : String.join("; ", statements);
    }

    /**
     * Why a source statement gave up on a table lock, for messages: how long it waited
     * ({@code source.lock-timeout}) and what {@link #exclusiveLockHolders} found.
     */
    static String lockWait(long timeoutMillis, List<String> holders) {
        String waited = timeoutMillis > 0 ? "waited source.lock-timeout (" + (timeoutMillis % 1000 == 0 ? timeoutMillis / 1000 + " s"
                : timeoutMillis + " ms") + ") for a lock on a source table and gave up" : "gave up waiting for a lock on a source table";
        return waited + (holders.isEmpty() ? "" : "; exclusive locks on the source: " + String.join("; ", holders));
    }

    /**
     * Why a reading session gave up on its lock on a table, for messages: from "it waited" to what to
     * do, with the first line of the server's error and what {@link #exclusiveLockHolders} found.
     */
    static String readerLockWait(SQLException timeout, List<String> holders) {
        return "it waited longer than source.lock-timeout for its lock on the table (" + firstLine(timeout) + "): another"
                + " session holds the table exclusively, or waits to (an ALTER TABLE, a TRUNCATE, a VACUUM FULL wait for the"
                + " load's own lock, and every new reader waits behind them); let that statement end, or run it after the load,"
                + " then run the load again with the same run id to resume it" + (holders.isEmpty() ? ""
                : "; exclusive locks on the source: " + String.join("; ", holders));
    }

    /** The server's error for a session that joins the load's snapshot after the session holding it has ended. */
    static boolean endedSnapshot(SQLException failure) {
        String message = failure.getMessage();
        // 42704 (snapshot "..." does not exist): the exporting session has ended, and its snapshot with it.
        return message != null && (message.contains("invalid snapshot identifier")
                || "42704".equals(failure.getSQLState()) && message.contains("snapshot"));
    }

    /** For messages about a failure that {@link #endedSnapshot} recognised: what happened, for the caller to add what to do. */
    static String endedSnapshotMessage(SQLException failure) {
        return "the load's snapshot of the source has ended (" + firstLine(failure) + "): the session that held it was"
                + " closed (a restart of the source, pg_terminate_backend, a network idle timeout)";
    }

    private static String firstLine(SQLException failure) {
        return failure.getMessage() == null ? String.valueOf(failure.getSQLState()) : failure.getMessage().lines().findFirst().orElse("");
    }

    static SourceDialect forUrl(String url) {
        if (url.startsWith("jdbc:postgresql:")) {
            return new PostgresSourceDialect();
        }
        throw new IllegalArgumentException("no source dialect for " + url);
    }
}
