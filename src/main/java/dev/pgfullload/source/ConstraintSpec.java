package dev.pgfullload.source;

import static java.util.Objects.requireNonNull;

/**
 * A table constraint of the source (primary key, unique, exclusion or check), on a selected table or
 * one of its partitions.
 *
 * @param definition as {@code pg_get_constraintdef} gives it, e.g. {@code PRIMARY KEY (id)}
 */
public record ConstraintSpec(TableName table, String name, Kind kind, String definition) {

    public enum Kind {
        PRIMARY_KEY,
        UNIQUE,
        EXCLUSION,
        CHECK
    }

    public ConstraintSpec {
        requireNonNull(table, "table is null");
        requireNonNull(name, "name is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(definition, "definition is null");
    }
}
