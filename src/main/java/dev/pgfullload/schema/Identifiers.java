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

    /**
     * The index just past the quoted token that opens at {@code open} (a {@code "} identifier or a
     * {@code '} literal, its quote doubled inside), or -1 when the text ends before it closes.
     */
    public static int endOfQuoted(String text, int open) {
        char quote = text.charAt(open);
        int at = open + 1;
        while (at < text.length()) {
            if (text.charAt(at) == quote) {
                if (at + 1 < text.length() && text.charAt(at + 1) == quote) {
                    at += 2;
                    continue;
                }
                return at + 1;
            }
            at++;
        }
        return -1;
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
