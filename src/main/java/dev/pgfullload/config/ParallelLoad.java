package dev.pgfullload.config;

import dev.pgfullload.source.TableName;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A table's read partitions given by hand, as DMS table-settings {@code parallel-load} with
 * {@code "type": "ranges"} gives them: the columns, and the boundaries between partitions (each a
 * value per column). n boundaries make n + 1 partitions. Unlike DMS, rows whose columns are NULL are
 * read too, with the first partition.
 */
public record ParallelLoad(String schema, String table, List<String> columns, List<List<String>> boundaries) {

    public ParallelLoad {
        requireNonNull(schema, "schema is null");
        requireNonNull(table, "table is null");
        columns = List.copyOf(columns);
        boundaries = boundaries.stream().map(List::copyOf).toList();
    }

    /** Whether these ranges are given for the source table {@code name} (spelled exactly as the source does). */
    public boolean isFor(TableName name) {
        return schema.equals(name.schema()) && table.equals(name.name());
    }
}
