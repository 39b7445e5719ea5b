package dev.pgfullload.source.copy;

import dev.pgfullload.config.ConnectionSettings;
import dev.pgfullload.error.FailureCategory;
import dev.pgfullload.error.FullLoadException;
import dev.pgfullload.jdbc.SessionPool;
import dev.pgfullload.source.PostgresSourceDialect;
import dev.pgfullload.source.SourceDialect;
import dev.pgfullload.write.CopyFieldType;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;

/**
 * Reads one partition with {@code COPY (query) TO STDOUT (FORMAT binary)}. Each tuple becomes a
 * {@link PgTupleRow} over the bytes pgjdbc hands over: its fields' lengths are checked here, and each
 * value is decoded only when it is asked for. Memory is bounded by one row: pgjdbc hands over one
 * tuple per call.
 */
final class PgCopyPartitionReader implements PartitionReader<InternalRow> {

    /** PGCOPY\n\377\r\n\0, the binary COPY signature. */
    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};

    /** Per field, the length its type always has in binary COPY, or -1 for any length. */
    private final int[] fixedLengths;
    private final ConnectionSettings source;
    private final String sessionInitStatement;
    private final PgCopyPartition partition;
    private SessionPool.Session session;
    private Connection connection;
    private CopyOut copy;
    private final PgTupleRow row;
    private boolean headerRead;
    private boolean finished;

    /**
     * Takes no session yet: the COPY starts with the first row asked for, so a task that waits before
     * reading (for its turn to write, see {@code load.max-target-sessions}) holds nothing on the source.
     */
    PgCopyPartitionReader(ConnectionSettings source, StructType schema, String sessionInitStatement, PgCopyPartition partition) {
        CopyFieldType[] types = new CopyFieldType[schema.fields().length];
        fixedLengths = new int[types.length];
        for (int i = 0; i < types.length; i++) {
            DataType type = schema.fields()[i].dataType();
            fixedLengths[i] = fixedLength(type);
            types[i] = CopyFieldType.of(type);
        }
        row = new PgTupleRow(types);
        this.source = source;
        this.sessionInitStatement = sessionInitStatement;
        this.partition = partition;
    }

    private void start() {
        try {
            // A session another partition finished reading is reused (see SessionPool).
            session = SessionPool.borrow(source, "source", "pg-fullload reader", "read", fresh -> {
                fresh.setAutoCommit(false);
                fresh.commit();
            });
        } catch (SQLException e) {
            throw new IllegalStateException("cannot start reading partition " + partition.index() + " from the source: "
                    + e.getMessage(), e);
        }
        connection = session.connection();
        try {
            if (sessionInitStatement != null) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute(sessionInitStatement);
                }
            }
            copy = connection.unwrap(PGConnection.class).getCopyAPI()
                    .copyOut("COPY (" + partition.query() + ") TO STDOUT (FORMAT binary)");
        } catch (SQLException e) {
            // Who holds the table, asked on this session before it goes (its failed transaction is rolled back first).
            List<String> holders = "55P03".equals(e.getSQLState())
                    ? new PostgresSourceDialect().exclusiveLockHolders(connection) : List.of();
            closeQuietly();
            if (SourceDialect.endedSnapshot(e)) {
                throw explained("cannot start reading partition " + partition.index() + " from the source: "
                        + SourceDialect.endedSnapshotMessage(e) + "; run the load again with the same run id to resume it", e);
            }
            if ("55P03".equals(e.getSQLState())) {
                throw explained("cannot start reading partition " + partition.index() + " from the source: "
                        + SourceDialect.readerLockWait(e, holders), e);
            }
            throw new IllegalStateException("cannot start reading partition " + partition.index() + " from the source: "
                    + e.getMessage(), e);
        }
    }

    /**
     * A failure whose message already says what happened and what to do: the run reports it as it is,
     * not the server's error underneath (kept as suppressed, for the log's stack trace).
     */
    private static FullLoadException explained(String message, SQLException server) {
        FullLoadException failure = new FullLoadException(FailureCategory.LOAD, message);
        failure.addSuppressed(server);
        return failure;
    }

    private static int fixedLength(DataType type) {
        if (type instanceof ShortType) {
            return 2;
        } else if (type instanceof IntegerType || type instanceof FloatType) {
            return 4;
        } else if (type instanceof LongType || type instanceof DoubleType) {
            return 8;
        } else if (type instanceof BooleanType) {
            return 1;
        } else if (type instanceof StringType || type instanceof BinaryType) {
            return -1;
        }
        throw new IllegalArgumentException("the COPY source cannot decode Spark type " + type.simpleString());
    }

    @Override
    public boolean next() throws IOException {
        if (finished) {
            return false;
        }
        if (session == null) {
            start();
        }
        try {
            byte[] data = copy.readFromCopy();
            if (data == null) {
                finished = true;
                return false;
            }
            int position = 0;
            if (!headerRead) {
                if (data.length < 19 || !Arrays.equals(Arrays.copyOf(data, SIGNATURE.length), SIGNATURE)) {
                    throw new IOException("the source did not answer with a binary COPY stream");
                }
                int extension = PgTupleRow.readInt(data, 15);
                position = 19 + extension;
                headerRead = true;
            }
            int tupleStart = position;
            short fields = (short) (((data[position] & 0xff) << 8) | (data[position + 1] & 0xff));
            position += 2;
            if (fields == -1) {
                // The trailer; pgjdbc ends the stream with the next call.
                finished = copy.readFromCopy() == null;
                return false;
            }
            if (fields != fixedLengths.length) {
                throw new IOException("expected " + fixedLengths.length + " fields from the source, got " + fields);
            }
            int[] offsets = row.offsets();
            for (int i = 0; i < fields; i++) {
                if (position + 4 > data.length) {
                    throw new IOException("the source's tuple ends inside field " + (i + 1) + " of " + fields);
                }
                offsets[i] = position;
                int length = PgTupleRow.readInt(data, position);
                position += 4;
                if (length < 0) {
                    continue;
                }
                if ((fixedLengths[i] >= 0 && length != fixedLengths[i]) || position + length > data.length) {
                    throw new IOException("field " + (i + 1) + " of the source's tuple is " + length + " bytes long"
                            + (fixedLengths[i] >= 0 ? ", its type has " + fixedLengths[i] : ", past the tuple's end"));
                }
                position += length;
            }
            row.reset(data, tupleStart, position);
            return true;
        } catch (SQLException e) {
            throw new IOException("reading from the source failed: " + e.getMessage(), e);
        }
    }


    @Override
    public InternalRow get() {
        return row;
    }

    @Override
    public void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        if (session == null) {
            return;
        }
        try {
            if (finished && (copy == null || !copy.isActive())) {
                // Read to the end: the read-only transaction ends and the session may read the next partition.
                connection.rollback();
                session.keep();
            } else if (copy != null && copy.isActive()) {
                copy.cancelCopy();
            }
        } catch (SQLException ignored) {
            // The session is closed next; the server ends the COPY with it.
        }
        session.close();
        // Closed once: Spark closes a reader whose start failed as well.
        session = null;
        finished = true;
    }
}
