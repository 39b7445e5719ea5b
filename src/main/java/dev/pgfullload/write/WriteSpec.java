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
                        String partitionsTable, RowErrors rowErrors, List<Integer> partitionIndexes, int maxSessions)
        implements Serializable {

    /**
     * How rows the target rejects are handled. A partition's first attempt streams everything in one
     * COPY; if the target rejects a row, the partition is rolled back and written again with
     * {@code isolate}: text COPY in batches under savepoints, a failed batch split until the bad rows
     * are found, which go to {@code rejectsTable} ({@code logErrors}) or stop the table, named.
     */
    public record RowErrors(boolean isolate, boolean logErrors, String rejectsTable, String textCopySql) implements Serializable {
    }

    public WriteSpec {
        requireNonNull(target, "target is null");
        requireNonNull(table, "table is null");
        requireNonNull(copySql, "copySql is null");
        fieldTypes = List.copyOf(fieldTypes);
        requireNonNull(applicationName, "applicationName is null");
        requireNonNull(runId, "runId is null");
        requireNonNull(partitionsTable, "partitionsTable is null");
        requireNonNull(rowErrors, "rowErrors is null");
        partitionIndexes = partitionIndexes == null ? null : List.copyOf(partitionIndexes);
    }

    /** The partition number in the table's read plan of the Spark partition {@code sparkIndex}. */
    public int partition(int sparkIndex) {
        return partitionIndexes == null ? sparkIndex : partitionIndexes.get(sparkIndex);
    }

    /** The same table, written again partition by partition in isolation, as text. */
    public WriteSpec isolating(List<CopyFieldType> textFieldTypes, List<Integer> partitions) {
        return new WriteSpec(target, table, rowErrors.textCopySql(), textFieldTypes, false, replicaRole, applicationName, runId,
                partitionsTable, new RowErrors(true, rowErrors.logErrors(), rowErrors.rejectsTable(), rowErrors.textCopySql()),
                partitions, maxSessions);
    }
}
