package dev.pgfullload.report;

import java.time.Instant;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The outcome of a run: every selected table, the totals, the settings used (secrets redacted) and,
 * when the run stopped before loading, why: {@code error}, and each problem preflight found in
 * {@code problems} (the error then lists them all).
 */
public record RunReport(
        String runId,
        Instant startedAt,
        Instant endedAt,
        boolean succeeded,
        String failureCategory,
        String error,
        List<String> preparation,
        List<TableLoadResult> tables,
        String settings,
        List<String> problems) {

    public RunReport {
        requireNonNull(runId, "runId is null");
        requireNonNull(startedAt, "startedAt is null");
        requireNonNull(endedAt, "endedAt is null");
        preparation = List.copyOf(preparation);
        tables = List.copyOf(tables);
        requireNonNull(settings, "settings is null");
        problems = List.copyOf(problems);
    }

    public RunReport(String runId, Instant startedAt, Instant endedAt, boolean succeeded, String failureCategory, String error,
                     List<String> preparation, List<TableLoadResult> tables, String settings) {
        this(runId, startedAt, endedAt, succeeded, failureCategory, error, preparation, tables, settings, List.of());
    }

    public long totalRowsWritten() {
        return tables.stream().mapToLong(TableLoadResult::rowsWritten).sum();
    }

    public long totalBytes() {
        return tables.stream().mapToLong(TableLoadResult::bytes).sum();
    }

    public long durationMillis() {
        return endedAt.toEpochMilli() - startedAt.toEpochMilli();
    }

    public long count(TableState state) {
        return tables.stream().filter(table -> table.state() == state).count();
    }
}
