package dev.pgfullload.write;

import org.apache.spark.sql.catalyst.InternalRow;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
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

    public static PartitionResult write(WriteSpec spec, int partition, Iterator<InternalRow> rows) throws SQLException {
        RowEncoder encoder = RowEncoder.of(spec, FLUSH_BYTES + 64 * 1024);
        try (Connection connection = WriteSession.open(spec)) {
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
            } catch (SQLException | RuntimeException e) {
                if (copy.isActive()) {
                    try {
                        copy.cancelCopy();
                    } catch (SQLException cancelFailure) {
                        e.addSuppressed(cancelFailure);
                    }
                }
                connection.rollback();
                throw e;
            }
            connection.commit();
            LOG.debug("{} partition {}: {} rows, {} bytes committed", spec.table(), partition, rowsWritten, bytes);
            return new PartitionResult(partition, rowsRead, rowsWritten, bytes);
        }
    }
}
