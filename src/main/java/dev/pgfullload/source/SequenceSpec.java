package dev.pgfullload.source;

import static java.util.Objects.requireNonNull;

/**
 * A sequence behind a serial default or an identity column.
 *
 * @param dataType the sequence's type, e.g. {@code integer}
 * @param options its options as CREATE SEQUENCE and identity columns take them, e.g. {@code INCREMENT BY 1 START WITH 1 ...}
 * @param ownedByColumn true when the sequence belongs to the column (serial, identity), so it goes with the table
 */
public record SequenceSpec(String schema, String name, String dataType, String options, boolean ownedByColumn) {

    public SequenceSpec {
        requireNonNull(schema, "schema is null");
        requireNonNull(name, "name is null");
        requireNonNull(dataType, "dataType is null");
        requireNonNull(options, "options is null");
    }

    public TableName qualifiedName() {
        return new TableName(schema, name);
    }
}
