package dev.pgfullload.schema;

import dev.pgfullload.source.SourceTable;
import dev.pgfullload.source.TableName;
import dev.pgfullload.source.UserType;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** A selected source table and the table it becomes in the target. */
public record TargetTable(SourceTable source, TableName name, List<TargetColumn> columns, List<String> primaryKey,
                          List<UserType> userTypes) {

    public TargetTable {
        requireNonNull(source, "source is null");
        requireNonNull(name, "name is null");
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
        userTypes = List.copyOf(userTypes);
    }

    public List<String> columnNames() {
        return columns.stream().map(TargetColumn::name).toList();
    }
}
