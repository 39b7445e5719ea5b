package dev.pgfullload.config;

/** What a row the target rejects does ({@code errors.data-error-policy}, after DMS's {@code DataErrorPolicy}). */
public enum DataErrorPolicy {
    /** The row is kept in the control schema's rejects table with the server's message; the rest of its partition loads. */
    LOG_ERROR,
    /** The table fails, naming the row and the server's message; the partition's rows are rolled back. */
    STOP_TASK
}
