package dev.pgfullload.write;

import org.apache.spark.TaskContext;
import org.apache.spark.sql.catalyst.InternalRow;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.pgfullload.jdbc.SessionPool;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Iterator;

/**
 * Streams one Spark partition into the target with COPY, in its own session and one transaction:
 * either every row of the partition is committed or none is.
 */
public final class PartitionWriter {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionWriter.class);

    /** Bytes gathered before they are handed to the COPY stream. */
    static final int FLUSH_BYTES = 256 * 1024;

    private PartitionWriter() {
    }

    /** Backoff before a retried attempt: 1 s, 2 s, 4 s ... up to this. */
    static final long MAX_BACKOFF_MILLIS = 16_000;

    public static PartitionResult write(WriteSpec spec, int sparkIndex, Iterator<InternalRow> rows) throws SQLException {
        int partition = spec.partition(sparkIndex);
        backOffIfRetried(spec, partition);
        if (spec.rowErrors().isolate()) {
            return RowIsolator.write(spec, partition, rows);
        }
        RowEncoder encoder = RowEncoder.of(spec, FLUSH_BYTES + 64 * 1024);
        try (TargetSessions.Place place = TargetSessions.line(spec.maxSessions());
             SessionPool.Session session = WriteSession.open(spec);
             TargetSessions.Turn turn = TargetSessions.take(session.connection(), spec.runId(), spec.maxSessions(),
                     spec.table() + " partition " + partition, place)) {
            Connection connection = session.connection();
            Long committed = committedRows(connection, spec, partition);
            if (committed != null) {
                // An earlier attempt (or an earlier run with this run id) committed this partition: write nothing.
                connection.rollback();
                keepUnlessCapped(session, spec);
                LOG.info("{} partition {} was already committed ({} rows): skipped", spec.table(), partition, committed);
                return new PartitionResult(partition, 0, committed, 0, true);
            }
            CopyManager copyManager = connection.unwrap(PGConnection.class).getCopyAPI();
            CopyIn copy = copyManager.copyIn(spec.copySql());
            long rowsRead = 0;
            long bytes = 0;
            long rowsWritten;
            try {
                byte[] header = encoder.header();
                if (header.length > 0) {
                    copy.writeToCopy(header, 0, header.length);
                    bytes += header.length;
                }
                while (rows.hasNext()) {
                    encoder.encode(rows.next());
                    rowsRead++;
                    FaultInjection.check(spec.table(), partition, rowsRead);
                    if (encoder.length() >= FLUSH_BYTES) {
                        copy.writeToCopy(encoder.buffer(), 0, encoder.length());
                        bytes += encoder.length();
                        encoder.clear();
                    }
                }
                if (encoder.length() > 0) {
                    copy.writeToCopy(encoder.buffer(), 0, encoder.length());
                    bytes += encoder.length();
                }
                byte[] trailer = encoder.trailer();
                if (trailer.length > 0) {
                    copy.writeToCopy(trailer, 0, trailer.length);
                    bytes += trailer.length;
                }
                rowsWritten = copy.endCopy();
                recordCommitted(connection, spec, partition, rowsWritten);
            } catch (SQLException | RuntimeException e) {
                if (copy.isActive()) {
                    try {
                        copy.cancelCopy();
                    } catch (SQLException cancelFailure) {
                        e.addSuppressed(cancelFailure);
                    }
                }
                connection.rollback();
                if (e instanceof SQLException sql && isDataError(sql)) {
                    // A row the target refuses: nothing of this partition stays; it is written again in isolation.
                    LOG.warn("{} partition {}: the target refused a row ({}); the partition will be written again row by row"
                            + " to find it", spec.table(), partition, sql.getMessage());
                    return new PartitionResult(partition, rowsRead, 0, 0, false, 0, sql.getMessage());
                }
                throw e;
            }
            connection.commit();
            keepUnlessCapped(session, spec);
            LOG.debug("{} partition {}: {} rows, {} bytes committed", spec.table(), partition, rowsWritten, bytes);
            return new PartitionResult(partition, rowsRead, rowsWritten, bytes, false);
        }
    }

    /**
     * Keeps the session for the executor's next partition, unless load.max-target-sessions caps the
     * target's sessions: then it is closed, so that a capped load holds no idle sessions besides the
     * ones writing and waiting.
     */
    static void keepUnlessCapped(SessionPool.Session session, WriteSpec spec) {
        if (spec.maxSessions() <= 0) {
            session.keep();
        }
    }

    /** Data exceptions (22xxx) and integrity violations (23xxx): the row is at fault, not the session. */
    static boolean isDataError(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    static Long committedRows(Connection connection, WriteSpec spec, int partition) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT rows FROM " + spec.partitionsTable()
                + " WHERE run_id = ? AND target_table = ? AND partition = ?")) {
            statement.setString(1, spec.runId());
            statement.setString(2, spec.table().toString());
            statement.setInt(3, partition);
            try (ResultSet result = statement.executeQuery()) {
                return result.next() ? result.getLong(1) : null;
            }
        }
    }

    /**
     * In the partition's own transaction: the rows and this record commit together. Two attempts
     * racing on one partition cannot both commit: the second waits on the first's key and fails.
     */
    static void recordCommitted(Connection connection, WriteSpec spec, int partition, long rows) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + spec.partitionsTable()
                + " (run_id, target_table, partition, rows) VALUES (?, ?, ?, ?)")) {
            statement.setString(1, spec.runId());
            statement.setString(2, spec.table().toString());
            statement.setInt(3, partition);
            statement.setLong(4, rows);
            statement.executeUpdate();
        }
    }

    /** A retried attempt waits a little first, so a transient fault (a restart, too many connections) can pass. */
    static void backOffIfRetried(WriteSpec spec, int partition) {
        TaskContext task = TaskContext.get();
        int attempt = task == null ? 0 : task.attemptNumber();
        if (attempt > 0) {
            long millis = Math.min(MAX_BACKOFF_MILLIS, 1000L << Math.min(10, attempt - 1));
            LOG.warn("{} partition {}: attempt {} after a failure, waiting {} ms first", spec.table(), partition, attempt + 1, millis);
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting to retry", e);
            }
        }
    }
}
