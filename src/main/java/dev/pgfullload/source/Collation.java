package dev.pgfullload.source;

import dev.pgfullload.schema.Identifiers;

import java.io.Serializable;

import static java.util.Objects.requireNonNull;

/**
 * A collation a column has in the source other than its type's default.
 *
 * @param definition what follows the name in the CREATE COLLATION that makes it, e.g.
 *                   {@code (provider = icu, locale = 'und-u-ks-level2', deterministic = false)}; null for the
 *                   database's {@code "default"}, which a column over a collated domain may name and every
 *                   database has
 */
public record Collation(String schema, String name, String definition) implements Serializable {

    public Collation {
        requireNonNull(schema, "schema is null");
        requireNonNull(name, "name is null");
    }

    public String quoted() {
        return Identifiers.quote(schema) + "." + Identifiers.quote(name);
    }

    @Override
    public String toString() {
        return schema + "." + name;
    }
}
