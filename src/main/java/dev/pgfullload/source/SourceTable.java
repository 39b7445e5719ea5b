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
 * @param children its children by inheritance ({@code INHERITS}, not partitions), those selected too and those not
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
        long estimatedBytes,
        Children children) {

    /**
     * A plain table's direct children by inheritance: when every one is selected, each loads on its own
     * and the table is read without them; when none is, the table takes their rows, as a query of it
     * sees them; some of each cannot load without reading rows twice or losing them.
     */
    public record Children(List<TableName> selected, List<TableName> notSelected) {

        public static final Children NONE = new Children(List.of(), List.of());

        public Children {
            selected = List.copyOf(selected);
            notSelected = List.copyOf(notSelected);
        }

        /** Rows of the children, not selected themselves, read as the table's own. */
        public boolean readWithTable() {
            return selected.isEmpty() && !notSelected.isEmpty();
        }
    }

    public SourceTable {
        requireNonNull(name, "name is null");
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
        partitions = List.copyOf(partitions);
        constraints = List.copyOf(constraints);
        indexes = List.copyOf(indexes);
        children = children == null ? Children.NONE : children;
    }

    /** A table with columns and a primary key and nothing else. */
    public SourceTable(TableName name, List<SourceColumn> columns, List<String> primaryKey, long estimatedRows, long estimatedBytes) {
        this(name, columns, primaryKey, null, List.of(), List.of(), List.of(), estimatedRows, estimatedBytes, Children.NONE);
    }

    public boolean partitioned() {
        return partitionKey != null;
    }

    /** The columns that carry data: all but stored generated columns, which the target computes. */
    public List<SourceColumn> dataColumns() {
        return columns.stream().filter(column -> !column.generated()).toList();
    }
}
