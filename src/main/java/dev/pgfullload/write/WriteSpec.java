package dev.pgfullload.write;

import dev.pgfullload.config.ConnectionSettings;
import dev.pgfullload.source.TableName;

import java.io.Serializable;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Everything an executor needs to write one table's partitions, decided on the driver: where to
 * connect, the COPY statement, how each field is encoded (binary or text COPY), how the session is set up,
 * and where each committed partition is recorded ({@code partitionsTable}, quoted, in the target).
 */
public record WriteSpec(ConnectionSettings target, TableName table, String copySql, List<CopyFieldType> fieldTypes,
                        boolean binary, boolean replicaRole, String applicationName, String runId,
                        String partitionsTable) implements Serializable {

    public WriteSpec {
        requireNonNull(target, "target is null");
        requireNonNull(table, "table is null");
        requireNonNull(copySql, "copySql is null");
        fieldTypes = List.copyOf(fieldTypes);
        requireNonNull(applicationName, "applicationName is null");
        requireNonNull(runId, "runId is null");
        requireNonNull(partitionsTable, "partitionsTable is null");
    }
}
