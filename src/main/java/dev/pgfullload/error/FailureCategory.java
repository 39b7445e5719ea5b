package dev.pgfullload.error;

/** What kind of failure stopped a run or a table; each maps to an exit status. */
public enum FailureCategory {
    CONFIGURATION,
    SOURCE_CONNECT,
    TARGET_CONNECT,
    PREFLIGHT,
    SCHEMA,
    LOAD,
    VERIFY
}
