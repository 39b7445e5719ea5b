package dev.pgfullload.source;

import dev.pgfullload.schema.Identifiers;

import java.io.Serializable;

import static java.util.Objects.requireNonNull;

/** A schema-qualified table name, exactly as the catalog stores it. */
public record TableName(String schema, String name) implements Serializable, Comparable<TableName> {

    public TableName {
        requireNonNull(schema, "schema is null");
        requireNonNull(name, "name is null");
    }

    /** The name quoted for SQL. */
    public String quoted() {
        return Identifiers.quote(schema) + "." + Identifiers.quote(name);
    }

    @Override
    public int compareTo(TableName other) {
        int bySchema = schema.compareTo(other.schema);
        return bySchema != 0 ? bySchema : name.compareTo(other.name);
    }

    @Override
    public String toString() {
        return schema + "." + name;
    }
}
