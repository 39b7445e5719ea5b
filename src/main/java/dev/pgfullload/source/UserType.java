package dev.pgfullload.source;

import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A user-defined type a column depends on (an enum, a domain, a composite or a range type), to be created in
 * the target when it is missing there.
 *
 * @param definition what follows the name in its CREATE statement, e.g. {@code AS ENUM ('a', 'b')} or
 *                   {@code AS integer CHECK (VALUE > 0)}
 * @param dependencies the user types its definition refers to, created before it
 * @param notValidChecks a domain's CHECK constraints the source has {@code NOT VALID}: not in its definition, as
 *                       they would refuse rows the source holds, but added once the rows are in
 * @param functions the source's own functions its definition names, by the option that names them (a range
 *                  type's {@code CANONICAL}, {@code SUBTYPE_DIFF}): the target must have them to create it
 */
public record UserType(Kind kind, String schema, String name, String definition, List<UserType> dependencies,
                       List<Check> notValidChecks, Map<String, FunctionName> functions) {

    /** A domain constraint: its name and its definition as {@code pg_get_constraintdef} gives it. */
    public record Check(String name, String definition) {
    }

    public enum Kind {
        ENUM,
        DOMAIN,
        COMPOSITE,
        /** A range type, with the multirange type PostgreSQL 14 and later make with it. */
        RANGE
    }

    public UserType {
        requireNonNull(kind, "kind is null");
        requireNonNull(schema, "schema is null");
        requireNonNull(name, "name is null");
        requireNonNull(definition, "definition is null");
        dependencies = List.copyOf(dependencies);
        notValidChecks = List.copyOf(notValidChecks);
        functions = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(functions));
    }

    public UserType(Kind kind, String schema, String name, String definition, List<UserType> dependencies) {
        this(kind, schema, name, definition, dependencies, List.of(), Map.of());
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + " " + schema + "." + name;
    }
}
