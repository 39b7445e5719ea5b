package dev.pgfullload.schema;

import dev.pgfullload.source.ColumnKind;

import java.io.Serializable;

import static java.util.Objects.requireNonNull;

/**
 * A column of the target table: its name and the PostgreSQL type it has there.
 *
 * @param kind how its values travel (see {@link ColumnKind})
 * @param typeChanged true when the target type differs from the source's (json as text)
 */
public record TargetColumn(String name, String typeName, boolean notNull, ColumnKind kind, boolean typeChanged)
        implements Serializable {

    public TargetColumn {
        requireNonNull(name, "name is null");
        requireNonNull(typeName, "typeName is null");
        requireNonNull(kind, "kind is null");
    }
}
