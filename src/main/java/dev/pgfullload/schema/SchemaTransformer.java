package dev.pgfullload.schema;

import dev.pgfullload.source.ColumnKind;
import dev.pgfullload.source.SourceColumn;
import dev.pgfullload.source.SourceTable;
import dev.pgfullload.source.UserType;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns a source table into its target table: json and jsonb become text when {@code json-as-text}
 * is on (the one intended type change); every other column keeps the source catalog's type.
 * Table-mapping rules (renames, case changes) belong here too.
 */
public final class SchemaTransformer {

    private final boolean jsonAsText;

    public SchemaTransformer(boolean jsonAsText) {
        this.jsonAsText = jsonAsText;
    }

    public TargetTable transform(SourceTable source) {
        List<TargetColumn> columns = new ArrayList<>();
        Set<UserType> userTypes = new LinkedHashSet<>();
        for (SourceColumn column : source.columns()) {
            boolean jsonToText = jsonAsText && column.kind() == ColumnKind.JSON;
            String typeName = jsonToText ? "text" : column.typeName();
            columns.add(new TargetColumn(column.name(), typeName, column.notNull(), column.kind(), jsonToText));
            if (column.userType() != null) {
                userTypes.add(column.userType());
            }
        }
        return new TargetTable(source, source.name(), columns, source.primaryKey(), List.copyOf(userTypes));
    }
}
