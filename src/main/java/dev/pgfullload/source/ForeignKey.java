package dev.pgfullload.source;

import static java.util.Objects.requireNonNull;

/**
 * A foreign key between two source tables.
 *
 * @param definition as {@code pg_get_constraintdef} gives it ({@code FOREIGN KEY (a) REFERENCES s.t(b) ...}),
 *                   or null where only the link matters
 */
public record ForeignKey(String name, TableName referencing, TableName referenced, String definition) {

    public ForeignKey {
        requireNonNull(name, "name is null");
        requireNonNull(referencing, "referencing is null");
        requireNonNull(referenced, "referenced is null");
    }

    public ForeignKey(String name, TableName referencing, TableName referenced) {
        this(name, referencing, referenced, null);
    }
}
