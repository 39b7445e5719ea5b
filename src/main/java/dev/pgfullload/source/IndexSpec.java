package dev.pgfullload.source;

import static java.util.Objects.requireNonNull;

/**
 * A secondary index of the source that no constraint owns, on a selected table or one of its partitions.
 *
 * @param definition as {@code pg_get_indexdef} gives it: {@code CREATE [UNIQUE] INDEX name ON schema.table USING ...}
 */
public record IndexSpec(TableName table, String name, String definition) {

    public IndexSpec {
        requireNonNull(table, "table is null");
        requireNonNull(name, "name is null");
        requireNonNull(definition, "definition is null");
    }
}
