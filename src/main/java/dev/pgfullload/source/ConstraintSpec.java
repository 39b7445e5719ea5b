package dev.pgfullload.source;

import static java.util.Objects.requireNonNull;

/**
 * A table constraint of the source (primary key, unique, exclusion or check), on a selected table or
 * one of its partitions.
 *
 * @param definition as {@code pg_get_constraintdef} gives it, e.g. {@code PRIMARY KEY (id)}, with
 *                   {@code NOT VALID} at its end when the source has not validated it
 * @param valid false for a constraint added {@code NOT VALID}: rows the source holds may break it
 */
public record ConstraintSpec(TableName table, String name, Kind kind, String definition, boolean valid) {

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

    public ConstraintSpec(TableName table, String name, Kind kind, String definition) {
        this(table, name, kind, definition, true);
    }
}
