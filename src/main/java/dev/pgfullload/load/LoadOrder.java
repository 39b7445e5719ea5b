package dev.pgfullload.load;

import dev.pgfullload.error.FailureCategory;
import dev.pgfullload.error.FullLoadException;
import dev.pgfullload.source.ForeignKey;
import dev.pgfullload.source.TableName;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which tables must be loaded before which: with trigger mode NONE foreign keys are checked as rows
 * arrive, so a referenced table loads before the tables that reference it.
 */
public final class LoadOrder {

    private final Map<TableName, Set<TableName>> parents;

    private LoadOrder(Map<TableName, Set<TableName>> parents) {
        this.parents = parents;
    }

    /** No table waits for another. */
    public static LoadOrder unordered(Collection<TableName> tables) {
        Map<TableName, Set<TableName>> parents = new HashMap<>();
        tables.forEach(table -> parents.put(table, Set.of()));
        return new LoadOrder(parents);
    }

    /** Parents first, by the foreign keys among {@code tables}; a cycle is refused, naming its tables. */
    public static LoadOrder parentsFirst(Collection<TableName> tables, Collection<ForeignKey> foreignKeys) {
        Set<TableName> selected = new HashSet<>(tables);
        Map<TableName, Set<TableName>> parents = new HashMap<>();
        tables.forEach(table -> parents.put(table, new TreeSet<>()));
        for (ForeignKey key : foreignKeys) {
            if (selected.contains(key.referencing()) && selected.contains(key.referenced())
                    && !key.referencing().equals(key.referenced())) {
                parents.get(key.referencing()).add(key.referenced());
            }
        }
        List<TableName> cycle = findCycle(parents);
        if (!cycle.isEmpty()) {
            throw new FullLoadException(FailureCategory.PREFLIGHT, "tables " + cycle
                    + " reference each other in a cycle of foreign keys, so load.trigger-mode = NONE cannot load parents"
                    + " first: use SESSION_REPLICATION_ROLE or DISABLE_TRIGGERS");
        }
        return new LoadOrder(parents);
    }

    public Set<TableName> parentsOf(TableName table) {
        return parents.getOrDefault(table, Set.of());
    }

    private static List<TableName> findCycle(Map<TableName, Set<TableName>> parents) {
        Map<TableName, Integer> state = new HashMap<>();
        for (TableName table : new TreeSet<>(parents.keySet())) {
            List<TableName> path = new ArrayList<>();
            if (visit(table, parents, state, path)) {
                return path;
            }
        }
        return List.of();
    }

    /** Depth-first search; state 1 is on the current path, 2 is finished. */
    private static boolean visit(TableName table, Map<TableName, Set<TableName>> parents, Map<TableName, Integer> state,
                                 List<TableName> path) {
        Integer seen = state.get(table);
        if (seen != null) {
            if (seen == 1) {
                path.subList(0, path.indexOf(table)).clear();
                return true;
            }
            return false;
        }
        state.put(table, 1);
        path.add(table);
        for (TableName parent : parents.get(table)) {
            if (visit(parent, parents, state, path)) {
                return true;
            }
        }
        path.remove(path.size() - 1);
        state.put(table, 2);
        return false;
    }
}
