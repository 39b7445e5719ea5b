package dev.pgfullload.config;

/** What happens to a target table before its rows are loaded (DMS {@code TargetTablePrepMode}). */
public enum PrepMode {
    /** An existing table is left as it is, definition and rows; a missing one is created. */
    DO_NOTHING,
    /** Existing tables are dropped and created again from the source catalog. */
    DROP_AND_CREATE,
    /** Existing tables keep their definition and lose their rows; missing ones are created. */
    TRUNCATE_BEFORE_LOAD
}
