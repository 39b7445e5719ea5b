package dev.pgfullload.config;

import java.util.List;

/** Which source tables to load: {@code schema.table} patterns with DMS's {@code %} and {@code _} wildcards. */
public record TableSelection(List<TablePattern> include, List<TablePattern> exclude) {

    public TableSelection {
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
    }

    public boolean selects(String schema, String table) {
        return include.stream().anyMatch(pattern -> pattern.matches(schema, table))
                && exclude.stream().noneMatch(pattern -> pattern.matches(schema, table));
    }
}
