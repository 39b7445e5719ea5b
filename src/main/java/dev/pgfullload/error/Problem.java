package dev.pgfullload.error;

import static java.util.Objects.requireNonNull;

/**
 * One reason a run cannot go ahead, found before anything is written: what is wrong and the statement
 * or setting that fixes it. Preflight collects every problem instead of stopping at the first.
 */
public record Problem(FailureCategory category, String message) {

    public Problem {
        requireNonNull(category, "category is null");
        requireNonNull(message, "message is null");
    }

    public static Problem of(FullLoadException failure) {
        return new Problem(failure.category(), failure.getMessage());
    }

    public static Problem preflight(String message) {
        return new Problem(FailureCategory.PREFLIGHT, message);
    }

    @Override
    public String toString() {
        return message;
    }
}
