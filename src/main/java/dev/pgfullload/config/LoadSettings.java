package dev.pgfullload.config;

import static java.util.Objects.requireNonNull;

public record LoadSettings(PrepMode targetTablePrepMode, TriggerMode triggerMode, int maxFullLoadSubtasks) {

    public LoadSettings {
        requireNonNull(targetTablePrepMode, "targetTablePrepMode is null");
        requireNonNull(triggerMode, "triggerMode is null");
    }
}
