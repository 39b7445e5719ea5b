package dev.pgfullload.source;

import static java.util.Objects.requireNonNull;

/**
 * One partition of a partitioned source table, at any depth.
 *
 * @param bound the partition bound as SQL ({@code FOR VALUES FROM (...) TO (...)}, {@code DEFAULT})
 * @param partitionKey the partition's own {@code PARTITION BY} clause when it is partitioned again, else null
 */
public record PartitionSpec(TableName name, TableName parent, String bound, String partitionKey) {

    public PartitionSpec {
        requireNonNull(name, "name is null");
        requireNonNull(parent, "parent is null");
        requireNonNull(bound, "bound is null");
    }
}
