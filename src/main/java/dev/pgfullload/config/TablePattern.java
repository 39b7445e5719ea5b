package dev.pgfullload.config;

import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * A {@code schema.table} pattern as DMS selection rules write them: {@code %} matches any run of
 * characters, {@code _} exactly one, and a backslash takes the next character literally. Matching is
 * case-sensitive, as PostgreSQL names are. The first unescaped dot separates schema from table.
 */
public record TablePattern(String text, Pattern schema, Pattern table) {

    public TablePattern {
        requireNonNull(text, "text is null");
    }

    public static TablePattern parse(String text) {
        requireNonNull(text, "text is null");
        int dot = unescapedDot(text);
        if (dot <= 0 || dot == text.length() - 1) {
            throw new IllegalArgumentException("a table pattern is schema.table, with % and _ wildcards (got \"" + text + "\")");
        }
        return new TablePattern(text, compile(text.substring(0, dot)), compile(text.substring(dot + 1)));
    }

    public boolean matches(String schemaName, String tableName) {
        return schema.matcher(schemaName).matches() && table.matcher(tableName).matches();
    }

    private static int unescapedDot(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '.') {
                return i;
            }
        }
        return -1;
    }

    private static Pattern compile(String part) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c == '\\' && i + 1 < part.length()) {
                regex.append(Pattern.quote(String.valueOf(part.charAt(++i))));
            } else if (c == '%') {
                regex.append(".*");
            } else if (c == '_') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    @Override
    public String toString() {
        return text;
    }
}
