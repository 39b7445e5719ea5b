package dev.pgfullload.source;

/**
 * The grain of partitioned reads ({@code load.rows-per-partition}, {@code load.bytes-per-partition}):
 * a table gets enough partitions that none holds more than either, and a small table stays one.
 */
public record PartitionSizing(long rowsPerPartition, long bytesPerPartition, int maxPartitions, int multipleOf) {

    /** More read partitions than this would only add sessions, not speed. */
    public static final int MAX_PARTITIONS = 256;

    public PartitionSizing {
        if (multipleOf < 1) {
            throw new IllegalArgumentException("multipleOf must be at least 1");
        }
    }

    public PartitionSizing(long rowsPerPartition, long bytesPerPartition, int maxPartitions) {
        this(rowsPerPartition, bytesPerPartition, maxPartitions, 1);
    }

    /** The same grain, with a split table's partition count rounded up to a multiple of the cores, so no wave runs half empty. */
    public PartitionSizing roundedTo(int cores) {
        return new PartitionSizing(rowsPerPartition, bytesPerPartition, maxPartitions, Math.max(1, cores));
    }

    public int partitions(long estimatedRows, long estimatedBytes) {
        return (int) Math.min(maxPartitions, uncapped(estimatedRows, estimatedBytes));
    }

    /** True when the grain would want more partitions than {@link #maxPartitions}: each then holds more than the grain. */
    public boolean capped(long estimatedRows, long estimatedBytes) {
        return uncapped(estimatedRows, estimatedBytes) > maxPartitions;
    }

    private long uncapped(long estimatedRows, long estimatedBytes) {
        long byRows = rowsPerPartition <= 0 ? 1 : (estimatedRows + rowsPerPartition - 1) / rowsPerPartition;
        long byBytes = bytesPerPartition <= 0 ? 1 : (estimatedBytes + bytesPerPartition - 1) / bytesPerPartition;
        long wanted = Math.max(1, Math.max(byRows, byBytes));
        if (wanted > 1) {
            wanted = (wanted + multipleOf - 1) / multipleOf * multipleOf;
        }
        return wanted;
    }
}
