package dev.pgfullload.source;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A user-defined type a column depends on (an enum, a domain or a composite type), to be created in
 * the target when it is missing there.
 *
 * @param definition what follows the name in its CREATE statement, e.g. {@code AS ENUM ('a', 'b')} or
 *                   {@code AS integer CHECK (VALUE > 0)}
 * @param dependencies the user types its definition refers to, created before it
 */
public record UserType(Kind kind, String schema, String name, String definition, List<UserType> dependencies) {

    public enum Kind {
        ENUM,
        DOMAIN,
        COMPOSITE
    }

    public UserType {
        requireNonNull(kind, "kind is null");
        requireNonNull(schema, "schema is null");
        requireNonNull(name, "name is null");
        requireNonNull(definition, "definition is null");
        dependencies = List.copyOf(dependencies);
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + " " + schema + "." + name;
    }
}
