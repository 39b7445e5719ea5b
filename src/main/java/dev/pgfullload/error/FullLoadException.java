package dev.pgfullload.error;

import static java.util.Objects.requireNonNull;

/** A failure with its category and a message a person can act on: what failed, where, and what to do. */
public class FullLoadException extends RuntimeException {

    private final FailureCategory category;

    public FullLoadException(FailureCategory category, String message) {
        this(category, message, null);
    }

    public FullLoadException(FailureCategory category, String message, Throwable cause) {
        super(message, cause);
        this.category = requireNonNull(category, "category is null");
    }

    public FailureCategory category() {
        return category;
    }
}
