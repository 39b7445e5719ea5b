package dev.pgfullload.write;

import org.apache.spark.sql.catalyst.InternalRow;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import dev.pgfullload.jdbc.SessionPool;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.Arrays;
import java.util.Iterator;

/**
 * Writes a partition whose first attempt hit a row the target refuses: text COPY in batches, each under
 * a savepoint; a failed batch is split in halves until the refused rows stand alone. Memory holds one
 * batch. With LOG_ERROR the refused rows go to the rejects table with the server's message and the
 * rest commits; with STOP_TASK the partition rolls back and the first refused row is named.
 */
final class RowIsolator {

    private static final Logger LOG = LoggerFactory.getLogger(RowIsolator.class);

    /** Rows, and bytes, per batch. */
    static final int BATCH_ROWS = 1000;
    static final int BATCH_BYTES = 1 << 20;

    private final WriteSpec spec;
    private final int partition;
    private final Connection connection;
    private final CopyManager copyManager;
    private final CopyTextEncoder encoder;
    private int[] starts = new int[BATCH_ROWS + 1];
    private int count;
    private long written;
    private long rejected;
    private String firstRefusal;

    private RowIsolator(WriteSpec spec, int partition, Connection connection) throws SQLException {
        this.spec = spec;
        this.partition = partition;
        this.connection = connection;
        this.copyManager = connection.unwrap(PGConnection.class).getCopyAPI();
        this.encoder = new CopyTextEncoder(spec.fieldTypes().toArray(CopyFieldType[]::new), BATCH_BYTES + 64 * 1024);
    }

    static PartitionResult write(WriteSpec spec, int partition, Iterator<InternalRow> rows) throws SQLException {
        try (TargetSessions.Place place = TargetSessions.line(spec.maxSessions());
             SessionPool.Session session = WriteSession.open(spec);
             TargetSessions.Turn turn = TargetSessions.take(session.connection(), spec.runId(), spec.maxSessions(),
                     spec.table() + " partition " + partition, place)) {
            Connection connection = session.connection();
            Long committed = PartitionWriter.committedRows(connection, spec, partition);
            if (committed != null) {
                connection.rollback();
                return new PartitionResult(partition, 0, committed, 0, true);
            }
            RowIsolator isolator = new RowIsolator(spec, partition, connection);
            long read = 0;
            try {
                while (rows.hasNext() && isolator.firstRefusal == null) {
                    isolator.starts[isolator.count] = isolator.encoder.length();
                    isolator.encoder.encode(rows.next());
                    isolator.count++;
                    read++;
                    if (isolator.count == BATCH_ROWS || isolator.encoder.length() >= BATCH_BYTES) {
                        isolator.flush();
                    }
                }
                if (isolator.firstRefusal == null) {
                    isolator.flush();
                }
                if (isolator.firstRefusal != null) {
                    connection.rollback();
                    return new PartitionResult(partition, read, 0, 0, false, 0, isolator.firstRefusal);
                }
                PartitionWriter.recordCommitted(connection, spec, partition, isolator.written);
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
            connection.commit();
            PartitionWriter.keepUnlessCapped(session, spec);
            LOG.info("{} partition {}: {} rows written, {} rejected", spec.table(), partition, isolator.written, isolator.rejected);
            return new PartitionResult(partition, read, isolator.written, 0, false, isolator.rejected, null);
        }
    }

    private void flush() throws SQLException {
        if (count > 0) {
            starts[count] = encoder.length();
            copyOrSplit(0, count);
        }
        count = 0;
        encoder.clear();
    }

    private void copyOrSplit(int from, int to) throws SQLException {
        if (firstRefusal != null) {
            return;
        }
        String refusal = tryCopy(from, to);
        if (refusal == null) {
            written += to - from;
            return;
        }
        if (to - from == 1) {
            refuse(from, refusal);
            return;
        }
        int middle = (from + to) >>> 1;
        copyOrSplit(from, middle);
        copyOrSplit(middle, to);
    }

    /** One COPY of rows [from, to) under a savepoint: null when it went in, else the server's message. */
    private String tryCopy(int from, int to) throws SQLException {
        Savepoint savepoint = connection.setSavepoint();
        try {
            CopyIn copy = copyManager.copyIn(spec.copySql());
            copy.writeToCopy(encoder.buffer(), starts[from], starts[to] - starts[from]);
            copy.endCopy();
            connection.releaseSavepoint(savepoint);
            return null;
        } catch (SQLException e) {
            connection.rollback(savepoint);
            if (!PartitionWriter.isDataError(e)) {
                throw e;
            }
            return e.getMessage();
        }
    }

    private void refuse(int row, String message) throws SQLException {
        // The row as COPY text, without its newline: readable, and loadable again by hand once fixed.
        String text = new String(Arrays.copyOfRange(encoder.buffer(), starts[row], starts[row + 1] - 1), StandardCharsets.UTF_8);
        if (!spec.rowErrors().logErrors()) {
            firstRefusal = "the target refused a row of partition " + partition + ": " + message + "; the row: " + text;
            return;
        }
        rejected++;
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + spec.rowErrors().rejectsTable()
                + " (run_id, target_table, partition, row_text, message) VALUES (?, ?, ?, ?, ?)")) {
            statement.setString(1, spec.runId());
            statement.setString(2, spec.table().toString());
            statement.setInt(3, partition);
            statement.setString(4, text);
            statement.setString(5, message);
            statement.executeUpdate();
        }
    }
}
