package dev.pgfullload.source;

/**
 * The grain of partitioned reads ({@code load.rows-per-partition}, {@code load.bytes-per-partition}):
 * a table gets enough partitions that none holds more than either, and a small table stays one.
 */
public record PartitionSizing(long rowsPerPartition, long bytesPerPartition, int maxPartitions) {

    /** More read partitions than this would only add sessions, not speed. */
    public static final int MAX_PARTITIONS = 256;

    public int partitions(long estimatedRows, long estimatedBytes) {
        long byRows = rowsPerPartition <= 0 ? 1 : (estimatedRows + rowsPerPartition - 1) / rowsPerPartition;
        long byBytes = bytesPerPartition <= 0 ? 1 : (estimatedBytes + bytesPerPartition - 1) / bytesPerPartition;
        return (int) Math.max(1, Math.min(maxPartitions, Math.max(byRows, byBytes)));
    }
}
