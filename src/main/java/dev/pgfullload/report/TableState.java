package dev.pgfullload.report;

/** Where a table ended up in a run. */
public enum TableState {
    LOADED,
    FAILED,
    /** Not attempted: a table it depends on failed, or the run stopped first. */
    SKIPPED
}
