package dev.pgfullload.schema;

import dev.pgfullload.source.SourceTable;
import dev.pgfullload.source.TableName;
import dev.pgfullload.source.UserType;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A selected source table and the table it becomes in the target.
 *
 * @param partitionKey the {@code PARTITION BY} clause, or null
 * @param partitions the partitions to create, parents before children
 * @param constraints primary key, unique, exclusion and check constraints, by target table
 * @param indexes secondary indexes, as CREATE INDEX statements for the target
 */
public record TargetTable(SourceTable source, TableName name, List<TargetColumn> columns, List<String> primaryKey,
                          List<UserType> userTypes, String partitionKey, List<TargetPartition> partitions,
                          List<TargetConstraint> constraints, List<String> indexes) {

    public TargetTable {
        requireNonNull(source, "source is null");
        requireNonNull(name, "name is null");
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
        userTypes = List.copyOf(userTypes);
        partitions = List.copyOf(partitions);
        constraints = List.copyOf(constraints);
        indexes = List.copyOf(indexes);
    }

    public TargetTable(SourceTable source, TableName name, List<TargetColumn> columns, List<String> primaryKey,
                       List<UserType> userTypes) {
        this(source, name, columns, primaryKey, userTypes, null, List.of(), List.of(), List.of());
    }

    /** Every column, generated ones included. */
    public List<String> columnNames() {
        return columns.stream().map(TargetColumn::name).toList();
    }

    /** The columns the COPY fills, in the order the source is read: all but generated ones. */
    public List<String> dataColumnNames() {
        return columns.stream().filter(column -> !column.generated()).map(TargetColumn::name).toList();
    }

    /** A partition of a partitioned target table. */
    public record TargetPartition(TableName name, TableName parent, String bound, String partitionKey) {
    }

    /**
     * A constraint of the target table or of one of its partitions.
     *
     * @param valid false for a constraint the source has {@code NOT VALID}: it is added after the rows, not validated
     */
    public record TargetConstraint(TableName table, String name, dev.pgfullload.source.ConstraintSpec.Kind kind,
                                   String definition, boolean valid) {

        public TargetConstraint(TableName table, String name, dev.pgfullload.source.ConstraintSpec.Kind kind, String definition) {
            this(table, name, kind, definition, true);
        }

        /** A CHECK constraint of the table itself that the source has validated: part of its CREATE TABLE. */
        public boolean inlineCheck(TableName owner) {
            return kind == dev.pgfullload.source.ConstraintSpec.Kind.CHECK && valid && table.equals(owner);
        }
    }
}
