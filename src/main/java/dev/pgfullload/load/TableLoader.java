package dev.pgfullload.load;

import dev.pgfullload.config.ConnectionSettings;
import dev.pgfullload.config.TriggerMode;
import dev.pgfullload.report.TableLoadResult;
import dev.pgfullload.report.TableState;
import dev.pgfullload.schema.TargetTable;
import dev.pgfullload.source.SourceDialect;
import dev.pgfullload.target.TargetSql;
import dev.pgfullload.write.CopyFieldType;
import dev.pgfullload.write.PartitionResult;
import dev.pgfullload.write.PartitionWriter;
import dev.pgfullload.write.WriteSpec;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static java.util.Objects.requireNonNull;

/** Loads one table: reads it as a DataFrame and writes its partitions through COPY on the executors. */
public final class TableLoader {

    private static final Logger LOG = LoggerFactory.getLogger(TableLoader.class);

    private final SparkSession spark;
    private final SourceDialect dialect;
    private final ConnectionSettings source;
    private final ConnectionSettings target;
    private final TriggerMode triggerMode;
    private final String runId;

    public TableLoader(SparkSession spark, SourceDialect dialect, ConnectionSettings source, ConnectionSettings target,
                       TriggerMode triggerMode, String runId) {
        this.spark = requireNonNull(spark, "spark is null");
        this.dialect = requireNonNull(dialect, "dialect is null");
        this.source = requireNonNull(source, "source is null");
        this.target = requireNonNull(target, "target is null");
        this.triggerMode = requireNonNull(triggerMode, "triggerMode is null");
        this.runId = requireNonNull(runId, "runId is null");
    }

    /** Reads {@code table} from the source as a DataFrame whose columns are the target table's, in order. */
    public Dataset<Row> read(TargetTable table) {
        DataFrameReader reader = spark.read().format("jdbc")
                .option("url", source.url())
                .option("dbtable", "(" + dialect.selectQuery(table.source()) + ") AS pgfullload_source")
                .option("fetchsize", String.valueOf(source.fetchSize()));
        String init = dialect.sessionInitStatement();
        if (init != null) {
            reader = reader.option("sessionInitStatement", init);
        }
        for (String name : source.driverProperties().stringPropertyNames()) {
            reader = reader.option(name, source.driverProperties().getProperty(name));
        }
        return reader.load();
    }

    public TableLoadResult load(TargetTable table) {
        long started = System.nanoTime();
        String sourceName = table.source().name().toString();
        String targetName = table.name().toString();
        LOG.info("Loading {} into {} ({} rows estimated by the source catalog)", sourceName, targetName,
                table.source().estimatedRows() > 0 ? String.valueOf(table.source().estimatedRows()) : "no");
        spark.sparkContext().setJobDescription("pg-fullload " + runId + ": " + sourceName + " -> " + targetName);
        Dataset<Row> frame = read(table);
        List<CopyFieldType> fieldTypes = new ArrayList<>();
        for (StructField field : frame.schema().fields()) {
            fieldTypes.add(CopyFieldType.of(field.dataType()));
        }
        WriteSpec spec = new WriteSpec(target, table.name(), TargetSql.copyIn(table.name(), table.dataColumnNames()), fieldTypes,
                triggerMode == TriggerMode.SESSION_REPLICATION_ROLE, "pg-fullload " + runId);
        List<PartitionResult> partitions = frame.javaRDD().mapPartitionsWithIndex(writer(spec), false).collect();
        long rowsRead = partitions.stream().mapToLong(PartitionResult::rowsRead).sum();
        long rowsWritten = partitions.stream().mapToLong(PartitionResult::rowsWritten).sum();
        long bytes = partitions.stream().mapToLong(PartitionResult::bytes).sum();
        long millis = (System.nanoTime() - started) / 1_000_000;
        LOG.info("Loaded {} into {}: {} rows, {} bytes in {} ms", sourceName, targetName, rowsWritten, bytes, millis);
        return new TableLoadResult(sourceName, targetName, TableState.LOADED, rowsRead, rowsWritten, bytes, millis,
                partitions.size(), null);
    }

    /** Static, so the closure Spark ships to executors holds the write spec and nothing of the driver. */
    private static Function2<Integer, Iterator<Row>, Iterator<PartitionResult>> writer(WriteSpec spec) {
        return (partition, rows) -> List.of(PartitionWriter.write(spec, partition, rows)).iterator();
    }
}
