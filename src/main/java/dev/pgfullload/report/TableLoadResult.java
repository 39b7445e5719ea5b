package dev.pgfullload.report;

import static java.util.Objects.requireNonNull;

/** One table's outcome, as the report shows it. */
public record TableLoadResult(
        String source,
        String target,
        TableState state,
        long rowsRead,
        long rowsWritten,
        long bytes,
        long durationMillis,
        int partitions,
        String error,
        String note) {

    public TableLoadResult {
        requireNonNull(source, "source is null");
        requireNonNull(target, "target is null");
        requireNonNull(state, "state is null");
    }

    public TableLoadResult(String source, String target, TableState state, long rowsRead, long rowsWritten, long bytes,
                           long durationMillis, int partitions, String error) {
        this(source, target, state, rowsRead, rowsWritten, bytes, durationMillis, partitions, error, null);
    }

    public long rowsPerSecond() {
        return durationMillis <= 0 ? rowsWritten : rowsWritten * 1000 / durationMillis;
    }

    public static TableLoadResult notLoaded(String source, String target, TableState state, String error) {
        return new TableLoadResult(source, target, state, 0, 0, 0, 0, 0, error);
    }
}
