package dev.pgfullload.config;

/** What a table's failure does to the rest of the run (DMS {@code TableErrorPolicy}). */
public enum TableErrorPolicy {
    /** The table is marked suspended; the other tables go on; the run still exits non-zero. */
    SUSPEND_TABLE,
    /** No new table starts; the run fails once the running ones end. */
    STOP_TASK
}
