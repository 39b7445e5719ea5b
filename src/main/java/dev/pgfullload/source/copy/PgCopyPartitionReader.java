package dev.pgfullload.source.copy;

import dev.pgfullload.config.ConnectionSettings;
import dev.pgfullload.jdbc.SessionPool;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.SpecificInternalRow;
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
import org.apache.spark.unsafe.types.UTF8String;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;

/**
 * Reads one partition with {@code COPY (query) TO STDOUT (FORMAT binary)} and decodes each tuple
 * into Spark's internal row. Memory is bounded by one row: pgjdbc hands over one tuple per call.
 */
final class PgCopyPartitionReader implements PartitionReader<InternalRow> {

    /** PGCOPY\n\377\r\n\0, the binary COPY signature. */
    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};

    private enum Decoder { SHORT, INT, LONG, BOOLEAN, FLOAT, DOUBLE, STRING, BINARY }

    private final Decoder[] decoders;
    private final SessionPool.Session session;
    private final Connection connection;
    private final CopyOut copy;
    private final SpecificInternalRow row;
    private boolean headerRead;
    private boolean finished;

    PgCopyPartitionReader(ConnectionSettings source, StructType schema, String sessionInitStatement, PgCopyPartition partition) {
        decoders = new Decoder[schema.fields().length];
        for (int i = 0; i < decoders.length; i++) {
            decoders[i] = decoder(schema.fields()[i].dataType());
        }
        // Typed slots: numbers are stored without boxing.
        row = new SpecificInternalRow(schema);
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
            closeQuietly();
            throw new IllegalStateException("cannot start reading partition " + partition.index() + " from the source: "
                    + e.getMessage(), e);
        }
    }

    private static Decoder decoder(DataType type) {
        if (type instanceof ShortType) {
            return Decoder.SHORT;
        } else if (type instanceof IntegerType) {
            return Decoder.INT;
        } else if (type instanceof LongType) {
            return Decoder.LONG;
        } else if (type instanceof BooleanType) {
            return Decoder.BOOLEAN;
        } else if (type instanceof FloatType) {
            return Decoder.FLOAT;
        } else if (type instanceof DoubleType) {
            return Decoder.DOUBLE;
        } else if (type instanceof StringType) {
            return Decoder.STRING;
        } else if (type instanceof BinaryType) {
            return Decoder.BINARY;
        }
        throw new IllegalArgumentException("the COPY source cannot decode Spark type " + type.simpleString());
    }

    @Override
    public boolean next() throws IOException {
        if (finished) {
            return false;
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
                int extension = readInt(data, 15);
                position = 19 + extension;
                headerRead = true;
            }
            short fields = (short) (((data[position] & 0xff) << 8) | (data[position + 1] & 0xff));
            position += 2;
            if (fields == -1) {
                // The trailer; pgjdbc ends the stream with the next call.
                finished = copy.readFromCopy() == null;
                return false;
            }
            if (fields != decoders.length) {
                throw new IOException("expected " + decoders.length + " fields from the source, got " + fields);
            }
            for (int i = 0; i < fields; i++) {
                int length = readInt(data, position);
                position += 4;
                if (length < 0) {
                    row.setNullAt(i);
                    continue;
                }
                decode(decoders[i], data, position, length, i);
                position += length;
            }
            return true;
        } catch (SQLException e) {
            throw new IOException("reading from the source failed: " + e.getMessage(), e);
        }
    }

    private void decode(Decoder decoder, byte[] data, int position, int length, int field) {
        switch (decoder) {
            case SHORT -> row.setShort(field, (short) (((data[position] & 0xff) << 8) | (data[position + 1] & 0xff)));
            case INT -> row.setInt(field, readInt(data, position));
            case LONG -> row.setLong(field, readLong(data, position));
            case BOOLEAN -> row.setBoolean(field, data[position] != 0);
            case FLOAT -> row.setFloat(field, Float.intBitsToFloat(readInt(data, position)));
            case DOUBLE -> row.setDouble(field, Double.longBitsToDouble(readLong(data, position)));
            // pgjdbc hands over a new array per tuple, so the string can point into it without a copy.
            case STRING -> row.update(field, UTF8String.fromBytes(data, position, length));
            case BINARY -> row.update(field, Arrays.copyOfRange(data, position, position + length));
        }
    }

    private static int readInt(byte[] data, int position) {
        return ((data[position] & 0xff) << 24) | ((data[position + 1] & 0xff) << 16)
                | ((data[position + 2] & 0xff) << 8) | (data[position + 3] & 0xff);
    }

    private static long readLong(byte[] data, int position) {
        return ((long) readInt(data, position) << 32) | (readInt(data, position + 4) & 0xffffffffL);
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
    }
}
