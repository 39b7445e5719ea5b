package dev.pgfullload.load;

import dev.pgfullload.config.PrepMode;
import dev.pgfullload.config.TriggerMode;

import java.io.PrintStream;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What {@code --check} found: the plan, table by table, and every problem that would stop the load.
 *
 * @param resumedRun the run id when the check found a run to resume, else null
 * @param cores the cores a split table's read partitions are rounded to
 */
public record CheckReport(String source, String target, PrepMode prepMode, TriggerMode triggerMode, String resumedRun,
                          int cores, List<PlannedTable> tables, List<String> problems) {

    public CheckReport {
        requireNonNull(source, "source is null");
        requireNonNull(target, "target is null");
        tables = List.copyOf(tables);
        problems = List.copyOf(problems);
    }

    /**
     * One selected table as the load would take it.
     *
     * @param preparation what preparation would do to it: create, drop and create, truncate, keep
     * @param estimatedRows the source catalog's estimate
     * @param partitions the read partitions it would be split into
     * @param typeChanges each column whose type changes, as {@code name source-type -> target-type}
     * @param keptTypeDifferences for a kept table, each column whose type is not the source column's, as
     *                            {@code name source-type -> kept-type}
     */
    public record PlannedTable(String source, String target, String preparation, String triggers, long estimatedRows,
                               int partitions, List<String> typeChanges, List<String> keptTypeDifferences) {

        public PlannedTable {
            typeChanges = List.copyOf(typeChanges);
            keptTypeDifferences = List.copyOf(keptTypeDifferences);
        }

        /** The table's line of the plan. */
        public String line() {
            return source + " -> " + target + ": " + preparation + "; triggers " + triggers + "; about " + estimatedRows
                    + (estimatedRows == 1 ? " row; " : " rows; ") + partitions + (partitions == 1 ? " read partition; " : " read partitions; ")
                    + (!keptTypeDifferences.isEmpty() ? "the kept table's types differ (each value is parsed into them): "
                            + String.join(", ", keptTypeDifferences)
                    : typeChanges.isEmpty() ? "no type change" : "type changes: " + String.join(", ", typeChanges));
        }
    }

    public boolean passed() {
        return problems.isEmpty();
    }

    public void print(PrintStream out) {
        out.println("pg-fullload check: from " + source + " to " + target);
        out.println("load.target-table-prep-mode = " + prepMode + ", load.trigger-mode = " + triggerMode
                + (resumedRun == null ? "" : "; resumes run " + resumedRun + ", whose preparation is done"));
        out.println(tables.size() + (tables.size() == 1 ? " table" : " tables") + " (read partitions rounded to "
                + cores + (cores == 1 ? " core" : " cores") + "):");
        tables.forEach(table -> out.println("  " + table.line()));
        if (problems.isEmpty()) {
            out.println("no problem found: the load can run. Nothing was written.");
        } else {
            out.println(problems.size() + (problems.size() == 1 ? " problem" : " problems")
                    + " found; the load would stop before writing anything (exit status 3). Nothing was written.");
            problems.forEach(problem -> out.println("  - " + problem));
        }
    }
}
