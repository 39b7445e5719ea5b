package dev.pgfullload.source;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** A user-defined enum a column depends on, to be created in the target when it is missing there. */
public record UserType(String schema, String name, List<String> labels) {

    public UserType {
        requireNonNull(schema, "schema is null");
        requireNonNull(name, "name is null");
        labels = List.copyOf(labels);
    }
}
