package dev.pgfullload.app;

import dev.pgfullload.error.FailureCategory;

/** The exit statuses a scheduler can act on. Documented in the README; change only with a reason there. */
public enum ExitCode {
    /** Every selected table was loaded. */
    SUCCESS(0),
    /** An unexpected internal error. */
    INTERNAL_ERROR(1),
    /** Bad command line or settings; nothing was started. */
    BAD_SETTINGS(2),
    /** A source or target could not be reached or refused the job, or preparation was refused; nothing was written. */
    PREFLIGHT_FAILED(3),
    /** The run went ahead and one or more tables failed or were skipped. */
    TABLES_FAILED(4);

    private final int status;

    ExitCode(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static ExitCode of(FailureCategory category) {
        return switch (category) {
            case CONFIGURATION -> BAD_SETTINGS;
            case SOURCE_CONNECT, TARGET_CONNECT, PREFLIGHT, SCHEMA -> PREFLIGHT_FAILED;
            case LOAD, VERIFY -> TABLES_FAILED;
        };
    }
}
