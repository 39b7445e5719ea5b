package dev.pgfullload.source;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What discovery found: the selected tables and the foreign keys among the source's tables. */
public record SourceCatalog(List<SourceTable> tables, List<ForeignKey> foreignKeys) {

    public SourceCatalog {
        tables = List.copyOf(tables);
        foreignKeys = List.copyOf(foreignKeys);
    }

    /** The selected table that holds {@code name}: itself, or the partitioned table it is a partition of; else null. */
    public SourceTable owner(TableName name) {
        Map<TableName, SourceTable> owners = new HashMap<>();
        for (SourceTable table : tables) {
            owners.put(table.name(), table);
            table.partitions().forEach(partition -> owners.put(partition.name(), table));
        }
        return owners.get(name);
    }
}
