package dev.pgfullload.config;

import dev.pgfullload.schema.IdentifierCase;
import dev.pgfullload.source.TableReader;

import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/** Every setting of a run, validated. Built by {@link SettingsLoader}. */
public record Settings(
        ConnectionSettings source,
        TableReader.Method readMethod,
        ConnectionSettings target,
        TableSelection tables,
        LoadSettings load,
        boolean jsonAsText,
        IdentifierCase identifierCase,
        boolean extensionTypesAsText,
        String controlSchema,
        ValidationMode validationMode,
        boolean validateForeignKeys,
        boolean failOnForeignKeyViolations,
        TableErrorPolicy tableErrorPolicy,
        DataErrorPolicy dataErrorPolicy,
        long maxRejectedRows,
        Path reportPath,
        String redactedText) {

    public Settings {
        requireNonNull(source, "source is null");
        requireNonNull(readMethod, "readMethod is null");
        requireNonNull(target, "target is null");
        requireNonNull(tables, "tables is null");
        requireNonNull(load, "load is null");
        requireNonNull(identifierCase, "identifierCase is null");
        requireNonNull(controlSchema, "controlSchema is null");
        requireNonNull(validationMode, "validationMode is null");
        requireNonNull(tableErrorPolicy, "tableErrorPolicy is null");
        requireNonNull(dataErrorPolicy, "dataErrorPolicy is null");
        requireNonNull(reportPath, "reportPath is null");
        requireNonNull(redactedText, "redactedText is null");
    }

    @Override
    public String toString() {
        return redactedText;
    }
}
