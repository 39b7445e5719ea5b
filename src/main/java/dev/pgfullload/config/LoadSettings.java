package dev.pgfullload.config;

import dev.pgfullload.source.PartitionSizing;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * How tables are prepared and loaded.
 *
 * @param createPkAfterFullLoad primary keys of created tables are added after their rows (DMS {@code CreatePkAfterFullLoad})
 * @param createIndexes unique constraints and secondary indexes of created tables are built after their rows
 * @param createForeignKeys foreign keys between created tables are added once every table is loaded
 * @param resetSequences sequences behind serial and identity columns are set past the loaded maximum
 * @param partitionSizing the grain of partitioned reads
 * @param parallelLoad read partitions given by hand for some tables (DMS {@code parallel-load} ranges)
 * @param maxTargetSessions partitions writing into the target at once across the cluster; 0 for as many as Spark's task slots
 */
public record LoadSettings(PrepMode targetTablePrepMode, TriggerMode triggerMode, int maxFullLoadSubtasks,
                           boolean createPkAfterFullLoad, boolean createIndexes, boolean createForeignKeys,
                           boolean resetSequences, PartitionSizing partitionSizing, List<ParallelLoad> parallelLoad,
                           int maxTargetSessions) {

    public LoadSettings {
        requireNonNull(targetTablePrepMode, "targetTablePrepMode is null");
        requireNonNull(triggerMode, "triggerMode is null");
        requireNonNull(partitionSizing, "partitionSizing is null");
        parallelLoad = List.copyOf(parallelLoad);
    }
}
