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

    /**
     * {@code schema.table} as people write it, with a part quoted only when it holds a dot or a double
     * quote: {@code "a.b".c} and {@code a."b.c"} stay two tables. The control tables key tables by this
     * form, and {@link #parse} reads it back.
     */
    @Override
    public String toString() {
        return part(schema) + "." + part(name);
    }

    private static String part(String identifier) {
        return identifier.indexOf('.') >= 0 || identifier.indexOf('"') >= 0 ? Identifiers.quote(identifier) : identifier;
    }

    /** The name {@link #toString} wrote. */
    public static TableName parse(String text) {
        int[] end = new int[1];
        String schema = readPart(text, 0, end);
        if (end[0] >= text.length() || text.charAt(end[0]) != '.') {
            throw new IllegalArgumentException("not a schema.table name: " + text);
        }
        String name = readPart(text, end[0] + 1, end);
        if (end[0] != text.length()) {
            throw new IllegalArgumentException("not a schema.table name: " + text);
        }
        return new TableName(schema, name);
    }

    /** The part starting at {@code from}; sets {@code end[0]} to the index after it. */
    private static String readPart(String text, int from, int[] end) {
        if (from < text.length() && text.charAt(from) == '"') {
            end[0] = Identifiers.endOfQuoted(text, from);
            if (end[0] < 0) {
                throw new IllegalArgumentException("unterminated quoted name: " + text);
            }
            return text.substring(from + 1, end[0] - 1).replace("\"\"", "\"");
        }
        int dot = text.indexOf('.', from);
        end[0] = dot < 0 ? text.length() : dot;
        return text.substring(from, end[0]);
    }
}
