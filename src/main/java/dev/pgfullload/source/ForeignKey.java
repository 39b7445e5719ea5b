package dev.pgfullload.source;

import static java.util.Objects.requireNonNull;

/** A foreign key between two source tables, as far as load ordering needs it. */
public record ForeignKey(String name, TableName referencing, TableName referenced) {

    public ForeignKey {
        requireNonNull(name, "name is null");
        requireNonNull(referencing, "referencing is null");
        requireNonNull(referenced, "referenced is null");
    }
}
