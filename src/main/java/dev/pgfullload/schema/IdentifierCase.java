package dev.pgfullload.schema;

import java.util.Locale;

/** How source names become target names ({@code transform.identifier-case}). */
public enum IdentifierCase {
    /** Names arrive exactly as they are: mixed case, spaces, quotes, non-ASCII. */
    PRESERVE,
    /** Names are lower-cased, as PostgreSQL folds unquoted names. */
    LOWER;

    public String apply(String name) {
        return switch (this) {
            case PRESERVE -> name;
            case LOWER -> name.toLowerCase(Locale.ROOT);
        };
    }

    /**
     * Rewrites the quoted identifiers inside a SQL fragment the source catalog printed (an index or
     * constraint definition, a default) the same way; string literals are left alone, except a
     * {@code '...'::regclass} literal, which names a relation (a serial default's sequence) and is
     * rewritten inside.
     */
    public String rewrite(String sql) {
        if (this == PRESERVE || sql == null) {
            return sql;
        }
        StringBuilder out = new StringBuilder(sql.length());
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"') {
                int closed = Identifiers.endOfQuoted(sql, i);
                int end = closed < 0 ? sql.length() : closed;
                String quoted = sql.substring(i, end);
                if (c == '"') {
                    out.append(apply(quoted));
                } else if (closed > 0 && sql.startsWith("::regclass", end)) {
                    String relation = quoted.substring(1, quoted.length() - 1).replace("''", "'");
                    out.append(Identifiers.literal(rewrite(relation)));
                } else {
                    out.append(quoted);
                }
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
