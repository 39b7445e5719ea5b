package dev.pgfullload.source;

import dev.pgfullload.schema.Identifiers;

import java.io.Serializable;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A function of the source's own (outside {@code pg_catalog}) that a definition calls, by its signature.
 *
 * @param argumentTypes its argument types as {@code format_type} prints them, schema-qualified where
 *                      they are not built in, e.g. {@code [integer, r.floatrange]}
 */
public record FunctionName(String schema, String name, List<String> argumentTypes) implements Serializable {

    public FunctionName {
        requireNonNull(schema, "schema is null");
        requireNonNull(name, "name is null");
        argumentTypes = List.copyOf(argumentTypes);
    }

    /** How a statement names it: schema-qualified and quoted. */
    public String quoted() {
        return Identifiers.quote(schema) + "." + Identifiers.quote(name);
    }

    /** Its signature, as {@code regprocedure} prints it: {@code r.dbl(integer)}. */
    @Override
    public String toString() {
        return schema + "." + name + "(" + String.join(", ", argumentTypes) + ")";
    }
}
