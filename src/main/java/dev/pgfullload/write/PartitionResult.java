package dev.pgfullload.write;

import java.io.Serializable;

/**
 * What one partition's write did: rows taken from the source, rows the target's COPY reported, bytes
 * sent; or, when {@code alreadyCommitted}, that an earlier attempt had committed its {@code rowsWritten}.
 *
 * @param rejected rows the target refused, kept in the rejects table
 * @param dataError the target refused a row and nothing of the partition was committed: the partition
 *                  must be written again in isolation, or (after isolation) the table fails with this message
 */
public record PartitionResult(int partition, long rowsRead, long rowsWritten, long bytes, boolean alreadyCommitted,
                              long rejected, String dataError) implements Serializable {

    public PartitionResult(int partition, long rowsRead, long rowsWritten, long bytes, boolean alreadyCommitted) {
        this(partition, rowsRead, rowsWritten, bytes, alreadyCommitted, 0, null);
    }
}
