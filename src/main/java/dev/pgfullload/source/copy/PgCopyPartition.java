package dev.pgfullload.source.copy;

import org.apache.spark.sql.connector.read.InputPartition;

/** One Spark partition of a table: the SELECT that reads exactly its rows. */
record PgCopyPartition(int index, String query) implements InputPartition {
}
