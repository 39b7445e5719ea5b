package dev.pgfullload.source;

import static java.util.Objects.requireNonNull;

/**
 * A column as the source catalog describes it.
 *
 * @param typeName the type as the source spells it, schema-qualified and quoted where needed
 *                 (PostgreSQL: {@code format_type}, e.g. {@code numeric(12,2)}, {@code "Sales".mood[]})
 * @param kind what the type is, which decides how it is read and what it becomes in the target
 * @param userType a user-defined type the column needs in the target (an enum), or null
 */
public record SourceColumn(String name, int position, String typeName, ColumnKind kind, boolean notNull, UserType userType) {

    public SourceColumn {
        requireNonNull(name, "name is null");
        requireNonNull(typeName, "typeName is null");
        requireNonNull(kind, "kind is null");
    }
}
