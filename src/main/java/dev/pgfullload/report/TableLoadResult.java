package dev.pgfullload.report;

import static java.util.Objects.requireNonNull;

/**
 * One table's outcome, as the report shows it. {@code rowsRead}, {@code rowsWritten}, {@code bytes},
 * {@code partitions} and the rate are what this attempt of the run did (the partitions it committed,
 * also when the table failed after them); {@code rowsCommittedBefore} and
 * {@code partitionsCommittedBefore} what earlier attempts of the same run id had committed.
 */
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
        String note,
        long rowsCommittedBefore,
        int partitionsCommittedBefore) {

    public TableLoadResult {
        requireNonNull(source, "source is null");
        requireNonNull(target, "target is null");
        requireNonNull(state, "state is null");
    }

    public TableLoadResult(String source, String target, TableState state, long rowsRead, long rowsWritten, long bytes,
                           long durationMillis, int partitions, String error, String note) {
        this(source, target, state, rowsRead, rowsWritten, bytes, durationMillis, partitions, error, note, 0, 0);
    }

    public TableLoadResult(String source, String target, TableState state, long rowsRead, long rowsWritten, long bytes,
                           long durationMillis, int partitions, String error) {
        this(source, target, state, rowsRead, rowsWritten, bytes, durationMillis, partitions, error, null);
    }

    /** The same outcome in another state, with another error. */
    public TableLoadResult withState(TableState state, String error) {
        return new TableLoadResult(source, target, state, rowsRead, rowsWritten, bytes, durationMillis, partitions, error, note,
                rowsCommittedBefore, partitionsCommittedBefore);
    }

    /** Rows this attempt wrote per second of the table's time. */
    public long rowsPerSecond() {
        return durationMillis <= 0 ? rowsWritten : rowsWritten * 1000 / durationMillis;
    }

    public static TableLoadResult notLoaded(String source, String target, TableState state, String error) {
        return new TableLoadResult(source, target, state, 0, 0, 0, 0, 0, error);
    }
}
