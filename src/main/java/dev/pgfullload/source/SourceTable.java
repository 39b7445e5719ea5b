package dev.pgfullload.source;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A table selected for the load, with what the source catalog says of it.
 *
 * @param partitioned a partitioned parent: read once through the parent, partitions included
 * @param estimatedRows the catalog's estimate, for ordering and planning (not for counting)
 */
public record SourceTable(
        TableName name,
        List<SourceColumn> columns,
        List<String> primaryKey,
        boolean partitioned,
        long estimatedRows,
        long estimatedBytes) {

    public SourceTable {
        requireNonNull(name, "name is null");
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
    }
}
