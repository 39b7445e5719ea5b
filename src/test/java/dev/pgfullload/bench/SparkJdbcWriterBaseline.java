package dev.pgfullload.bench;

import dev.pgfullload.config.ConnectionSettings;
import dev.pgfullload.jdbc.Connections;
import dev.pgfullload.source.PartitionSizing;
import dev.pgfullload.source.PostgresSourceDialect;
import dev.pgfullload.source.SourceCatalog;
import dev.pgfullload.source.SourceTable;
import dev.pgfullload.source.TableReader;
import dev.pgfullload.config.TableSelection;
import dev.pgfullload.config.TablePattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The benchmark's baseline (b): the same DataFrame pg-fullload reads, with the same partitions,
 * written by Spark's built-in JDBC writer (batched INSERTs), into a table without indexes, then the
 * primary key added, as pg-fullload ends.
 *
 * <p>Arguments: source URL, target URL, tables (a schema.table pattern, % and _ wildcards), rows per
 * partition, bytes per partition, batch size, and "rewrite" to add {@code reWriteBatchedInserts=true}.
 * The read partitions are planned as pg-fullload plans them: the same planner, the same sizing, rounded
 * up to a multiple of the cores. Several tables are written one after the other, as a Spark application
 * with a loop over {@code df.write.jdbc} writes them.
 */
public final class SparkJdbcWriterBaseline {

    private SparkJdbcWriterBaseline() {
    }

    public static void main(String[] args) throws Exception {
        String sourceUrl = args[0];
        String targetUrl = args[1];
        String pattern = args[2];
        long rowsPerPartition = Long.parseLong(args[3]);
        long bytesPerPartition = Long.parseLong(args[4]);
        String batchSize = args[5];
        boolean rewrite = args.length > 6 && args[6].equals("rewrite");
        ConnectionSettings source = new ConnectionSettings(sourceUrl, "postgres", null, 10000, Map.of());
        SparkSession spark = SparkSession.builder().appName("spark-jdbc-writer-baseline").getOrCreate();
        PostgresSourceDialect dialect = new PostgresSourceDialect();
        List<SourceTable> tables;
        try (Connection connection = Connections.open(source, "source", "baseline")) {
            SourceCatalog catalog = dialect.discover(connection, new TableSelection(List.of(TablePattern.parse(pattern)), List.of()));
            tables = catalog.tables();
        }
        Properties properties = new Properties();
        properties.setProperty("user", "postgres");
        properties.setProperty("batchsize", batchSize);
        // Text-form columns (timestamptz, numeric, jsonb, text[]) are sent as untyped strings for the server to parse.
        String url = targetUrl + (targetUrl.contains("?") ? "&" : "?") + "stringtype=unspecified"
                + (rewrite ? "&reWriteBatchedInserts=true" : "");
        for (SourceTable sourceTable : tables) {
            Dataset<Row> frame;
            try (Connection connection = Connections.open(source, "source", "baseline")) {
                frame = new TableReader(spark, dialect, source, TableReader.Method.COPY).read(sourceTable,
                        dialect.planPartitions(connection, sourceTable, new PartitionSizing(rowsPerPartition, bytesPerPartition,
                                PartitionSizing.MAX_PARTITIONS).roundedTo(spark.sparkContext().defaultParallelism())));
            }
            frame.write().mode(SaveMode.Append).jdbc(url, sourceTable.name().quoted(), properties);
            if (!sourceTable.primaryKey().isEmpty()) {
                try (Connection target = java.sql.DriverManager.getConnection(url, properties);
                     Statement statement = target.createStatement()) {
                    statement.execute("ALTER TABLE " + sourceTable.name().quoted() + " ADD PRIMARY KEY ("
                            + String.join(", ", sourceTable.primaryKey().stream().map(dev.pgfullload.schema.Identifiers::quote).toList())
                            + ")");
                }
            }
        }
        spark.stop();
    }
}
