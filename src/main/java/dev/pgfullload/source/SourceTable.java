package dev.pgfullload.source;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A table selected for the load, with what the source catalog says of it.
 *
 * @param partitionKey the {@code PARTITION BY} clause of a partitioned table (read once through the
 *                     parent, partitions included), or null
 * @param partitions every partition below it, parents before their children
 * @param constraints primary key, unique, exclusion and check constraints, its partitions' own included
 * @param indexes secondary indexes no constraint owns
 * @param estimatedRows the catalog's estimate, for ordering and planning (not for counting)
 */
public record SourceTable(
        TableName name,
        List<SourceColumn> columns,
        List<String> primaryKey,
        String partitionKey,
        List<PartitionSpec> partitions,
        List<ConstraintSpec> constraints,
        List<IndexSpec> indexes,
        long estimatedRows,
        long estimatedBytes) {

    public SourceTable {
        requireNonNull(name, "name is null");
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
        partitions = List.copyOf(partitions);
        constraints = List.copyOf(constraints);
        indexes = List.copyOf(indexes);
    }

    /** A table with columns and a primary key and nothing else. */
    public SourceTable(TableName name, List<SourceColumn> columns, List<String> primaryKey, long estimatedRows, long estimatedBytes) {
        this(name, columns, primaryKey, null, List.of(), List.of(), List.of(), estimatedRows, estimatedBytes);
    }

    public boolean partitioned() {
        return partitionKey != null;
    }

    /** The columns that carry data: all but stored generated columns, which the target computes. */
    public List<SourceColumn> dataColumns() {
        return columns.stream().filter(column -> !column.generated()).toList();
    }
}
