package dev.pgfullload.write;

import java.io.Serializable;

/**
 * What one partition's write did: rows taken from the source, rows the target's COPY reported, bytes
 * sent; or, when {@code alreadyCommitted}, that an earlier attempt had committed its {@code rowsWritten}.
 */
public record PartitionResult(int partition, long rowsRead, long rowsWritten, long bytes, boolean alreadyCommitted)
        implements Serializable {
}
