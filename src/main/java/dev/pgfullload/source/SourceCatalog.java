package dev.pgfullload.source;

import java.util.List;

/** What discovery found: the selected tables and the foreign keys among the source's tables. */
public record SourceCatalog(List<SourceTable> tables, List<ForeignKey> foreignKeys) {

    public SourceCatalog {
        tables = List.copyOf(tables);
        foreignKeys = List.copyOf(foreignKeys);
    }
}
