package dev.pgfullload.schema;

import static java.util.Objects.requireNonNull;

/** The one place PostgreSQL identifiers and literals are quoted. No SQL is built from unquoted names. */
public final class Identifiers {

    private Identifiers() {
    }

    /** {@code name} as a quoted identifier: always quoted, so case, spaces and reserved words survive. */
    public static String quote(String name) {
        requireNonNull(name, "name is null");
        if (name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("an identifier cannot contain a NUL character");
        }
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** {@code value} as a standard-conforming string literal. */
    public static String literal(String value) {
        requireNonNull(value, "value is null");
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a literal cannot contain a NUL character");
        }
        return "'" + value.replace("'", "''") + "'";
    }
}
