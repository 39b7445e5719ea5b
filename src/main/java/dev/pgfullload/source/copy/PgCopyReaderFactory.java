package dev.pgfullload.source.copy;

import dev.pgfullload.config.ConnectionSettings;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.types.StructType;

/** Shipped to the executors: opens one COPY reader per partition. */
record PgCopyReaderFactory(ConnectionSettings source, StructType schema, String sessionInitStatement)
        implements PartitionReaderFactory {

    @Override
    public PartitionReader<InternalRow> createReader(InputPartition partition) {
        return new PgCopyPartitionReader(source, schema, sessionInitStatement, (PgCopyPartition) partition);
    }
}
