package dev.pgfullload.load;

import dev.pgfullload.config.ConnectionSettings;
import dev.pgfullload.config.ParallelLoad;
import dev.pgfullload.config.DataErrorPolicy;
import dev.pgfullload.error.FailureCategory;
import dev.pgfullload.error.FullLoadException;
import dev.pgfullload.config.TriggerMode;
import dev.pgfullload.report.TableLoadResult;
import dev.pgfullload.report.TableState;
import dev.pgfullload.schema.TargetTable;
import dev.pgfullload.schema.TargetColumn;
import dev.pgfullload.source.SourceColumn;
import dev.pgfullload.source.SourceDialect;
import dev.pgfullload.target.TargetSql;
import dev.pgfullload.write.CopyFieldType;
import dev.pgfullload.write.PartitionResult;
import dev.pgfullload.write.PartitionWriter;
import dev.pgfullload.write.WriteSpec;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.rdd.RDD;
import dev.pgfullload.jdbc.SessionPool;
import dev.pgfullload.source.PartitionSizing;
import dev.pgfullload.source.ReadPartition;
import dev.pgfullload.source.TableReader;
import dev.pgfullload.source.copy.PgCopyDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.io.Serializable;
import java.util.List;

import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;

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
    private final TableReader.Method readMethod;
    private final PartitionSizing sizing;
    private final List<ParallelLoad> parallelLoad;
    private final String partitionsTable;
    private final String rejectsTable;
    private final DataErrorPolicy dataErrorPolicy;
    private final long maxRejectedRows;
    /** The run's source snapshot every partition is read in, or null. */
    private final String snapshot;
    /** Partitions writing at once across the cluster ({@code load.max-target-sessions}); 0 for no cap. */
    private final int maxTargetSessions;

    public TableLoader(SparkSession spark, SourceDialect dialect, ConnectionSettings source, ConnectionSettings target,
                       TriggerMode triggerMode, String runId, TableReader.Method readMethod, PartitionSizing sizing,
                       List<ParallelLoad> parallelLoad, String partitionsTable, String rejectsTable,
                       DataErrorPolicy dataErrorPolicy, long maxRejectedRows, String snapshot, int maxTargetSessions) {
        this.spark = requireNonNull(spark, "spark is null");
        this.dialect = requireNonNull(dialect, "dialect is null");
        this.source = requireNonNull(source, "source is null");
        this.target = requireNonNull(target, "target is null");
        this.triggerMode = requireNonNull(triggerMode, "triggerMode is null");
        this.runId = requireNonNull(runId, "runId is null");
        this.readMethod = requireNonNull(readMethod, "readMethod is null");
        this.sizing = requireNonNull(sizing, "sizing is null");
        this.parallelLoad = List.copyOf(parallelLoad);
        this.partitionsTable = requireNonNull(partitionsTable, "partitionsTable is null");
        this.rejectsTable = requireNonNull(rejectsTable, "rejectsTable is null");
        this.dataErrorPolicy = requireNonNull(dataErrorPolicy, "dataErrorPolicy is null");
        this.maxRejectedRows = maxRejectedRows;
        this.snapshot = snapshot;
        this.maxTargetSessions = maxTargetSessions;
    }

    /**
     * Binary COPY carries a value in its own binary form, with no text formatting on the source and no
     * parsing on the target: used where the target table was created by this run from the source's
     * definition (so every type is the same) and every column's binary form is portable.
     */
    static boolean binaryCopy(TargetTable table, boolean created, TableReader.Method method) {
        if (!created || method != TableReader.Method.COPY) {
            return false;
        }
        for (TargetColumn column : table.columns()) {
            if (column.generated()) {
                continue;
            }
            SourceColumn source = table.source().columns().stream().filter(candidate -> candidate.name().equals(
                    column.sourceName())).findFirst().orElse(null);
            if (source == null) {
                return false;
            }
            boolean portable = switch (source.kind()) {
                case SMALLINT, INTEGER, BIGINT, BOOLEAN, REAL, DOUBLE, STRING, BINARY -> true;
                // Read as text: fine for a text target column, not for json or jsonb kept as they are.
                case JSON -> column.typeChanged();
                case MONEY -> false;
                case TEXT_FORM -> source.binaryPortable() && !column.typeChanged();
            };
            if (!portable) {
                return false;
            }
        }
        return true;
    }

    /** Where a table's read plan is kept, so a retried or resumed load reads exactly the same partitions. */
    public interface PlanStore {
        /** The plan recorded for the table, or null when none is. */
        List<ReadPartition> recorded(TargetTable table) throws SQLException;

        void record(TargetTable table, List<ReadPartition> plan) throws SQLException;
    }

    public TableLoadResult load(TargetTable table, boolean created, PlanStore plans) {
        long started = System.nanoTime();
        String sourceName = table.source().name().toString();
        String targetName = table.name().toString();
        LOG.info("Loading {} into {} ({} rows estimated by the source catalog)", sourceName, targetName,
                table.source().estimatedRows() > 0 ? String.valueOf(table.source().estimatedRows()) : "no");
        spark.sparkContext().setJobDescription("pg-fullload " + runId + ": " + sourceName + " -> " + targetName);
        List<ReadPartition> partitions;
        try {
            partitions = plans.recorded(table);
            if (partitions == null) {
                try (SessionPool.Session session = SessionPool.borrow(source, "source", "pg-fullload " + runId + " planner",
                        "plan", null)) {
                    try {
                        partitions = dialect.planPartitions(session.connection(), table.source(),
                                sizing.roundedTo(spark.sparkContext().defaultParallelism()),
                                parallelLoad.stream().filter(ranges -> ranges.isFor(table.source().name())).findFirst().orElse(null));
                    } catch (SQLException e) {
                        if ("55P03".equals(e.getSQLState())) {
                            // Behind an ALTER TABLE that waits for the snapshot's lock, the planner would wait for ever.
                            FullLoadException failure = new FullLoadException(FailureCategory.LOAD, "cannot plan the read of "
                                    + sourceName + ": the planner " + SourceDialect.lockWait(source.lockTimeoutMillis(),
                                    dialect.exclusiveLockHolders(session.connection())) + "; once that statement has ended,"
                                    + " run the load again with the same run id to resume it");
                            failure.addSuppressed(e);
                            throw failure;
                        }
                        throw e;
                    }
                    session.keep();
                }
            } else {
                LOG.info("{}: resuming with the {} read partitions recorded by the run", sourceName, partitions.size());
            }
            plans.record(table, partitions);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot plan the read of " + sourceName + ": " + e.getMessage(), e);
        }
        LOG.debug("{}: {} read partitions planned", sourceName, partitions.size());
        boolean binary = binaryCopy(table, created, readMethod);
        WriteSpec spec;
        List<PartitionResult> written;
        try {
            // Spark's JDBC source asks the source for the table's columns here, and can meet a lock as its readers can.
            Dataset<Row> frame = new TableReader(spark, dialect, source, readMethod, snapshot).read(table.source(), partitions, binary);
            List<CopyFieldType> fieldTypes = new ArrayList<>();
            for (StructField field : frame.schema().fields()) {
                fieldTypes.add(CopyFieldType.of(field.dataType()));
            }
            spec = new WriteSpec(target, table.name(), TargetSql.copyIn(table.name(), table.dataColumnNames(), binary),
                    fieldTypes, binary, triggerMode == TriggerMode.SESSION_REPLICATION_ROLE, "pg-fullload " + runId, runId,
                    partitionsTable, new WriteSpec.RowErrors(false, dataErrorPolicy == DataErrorPolicy.LOG_ERROR, rejectsTable,
                            TargetSql.copyIn(table.name(), table.dataColumnNames(), false)), null, maxTargetSessions);
            written = new ArrayList<>(write(internalRows(frame), spec));
        } catch (Exception e) {
            FullLoadException explained = readFailure(sourceName, e);
            if (explained != null) {
                throw explained;
            }
            throw e;
        }
        written = isolateRefusedRows(table, partitions, spec, written);
        long rowsRead = written.stream().mapToLong(PartitionResult::rowsRead).sum();
        long rowsWritten = written.stream().mapToLong(PartitionResult::rowsWritten).sum();
        long bytes = written.stream().mapToLong(PartitionResult::bytes).sum();
        long millis = (System.nanoTime() - started) / 1_000_000;
        long skipped = written.stream().filter(PartitionResult::alreadyCommitted).count();
        LOG.info("Loaded {} into {}: {} rows, {} bytes, {} partitions ({} committed before), {} COPY in {} ms", sourceName,
                targetName, rowsWritten, bytes, written.size(), skipped, binary ? "binary" : "text", millis);
        long rejected = written.stream().mapToLong(PartitionResult::rejected).sum();
        return new TableLoadResult(sourceName, targetName, TableState.LOADED, rowsRead, rowsWritten, bytes, millis,
                written.size(), null, rejected == 0 ? null : rejected + " rows refused by the target, kept in " + rejectsTable);
    }

    /**
     * A DataFrame or a write job that failed because a source session could not start its read: it gave
     * up on a table lock, or the load's snapshot had ended. The COPY reader explains these itself; Spark's JDBC reader
     * ({@code source.read-method = JDBC}) hands up the server's error, explained here. Null for any
     * other failure.
     */
    private FullLoadException readFailure(String sourceName, Throwable failure) {
        SQLException server = null;
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof FullLoadException) {
                return null;
            }
            if (cause instanceof SQLException sql && server == null && fromSparkJdbcSource(sql)
                    && ("55P03".equals(sql.getSQLState()) || SourceDialect.endedSnapshot(sql))) {
                server = sql;
            }
        }
        if (server == null) {
            return null;
        }
        String why;
        if (SourceDialect.endedSnapshot(server)) {
            why = SourceDialect.endedSnapshotMessage(server) + "; run the load again with the same run id to resume it";
        } else {
            List<String> holders = List.of();
            try (SessionPool.Session session = SessionPool.borrow(source, "source", "pg-fullload " + runId + " planner", "plan", null)) {
                holders = dialect.exclusiveLockHolders(session.connection());
                session.keep();
            } catch (SQLException | RuntimeException e) {
                LOG.debug("could not ask the source who holds its locks: {}", e.getMessage());
            }
            why = SourceDialect.readerLockWait(server, holders);
        }
        FullLoadException explained = new FullLoadException(FailureCategory.LOAD, "cannot read " + sourceName + " from the source: " + why);
        explained.addSuppressed(failure);
        return explained;
    }

    /**
     * Whether pgjdbc raised {@code failure} for Spark's JDBC source, on the driver (the query's columns) or
     * in a task (its read): its first caller outside the driver is in Spark's JDBC package. The target's
     * errors, which a write raises through the same job, come from pg-fullload's writer instead.
     */
    static boolean fromSparkJdbcSource(SQLException failure) {
        for (StackTraceElement frame : failure.getStackTrace()) {
            if (!frame.getClassName().startsWith("org.postgresql.")) {
                return frame.getClassName().startsWith("org.apache.spark.sql.execution.datasources.jdbc.");
            }
        }
        return false;
    }

    /**
     * Partitions whose first attempt hit a row the target refuses are written again, as text, in
     * isolation (see {@link WriteSpec.RowErrors}); a refusal under STOP_TASK, or more rejected rows than
     * {@code errors.max-rejected-rows}, fails the table.
     */
    private List<PartitionResult> isolateRefusedRows(TargetTable table, List<ReadPartition> partitions, WriteSpec spec,
                                                     List<PartitionResult> written) {
        List<Integer> refused = written.stream().filter(result -> result.dataError() != null).map(PartitionResult::partition).toList();
        List<PartitionResult> results = new ArrayList<>(written.stream().filter(result -> result.dataError() == null).toList());
        if (!refused.isEmpty()) {
            LOG.warn("{}: the target refused rows in partitions {}; writing them again in isolation ({})", table.name(), refused,
                    dataErrorPolicy);
            List<PartitionResult> isolated;
            try {
                Dataset<Row> again = new TableReader(spark, dialect, source, readMethod, snapshot).read(table.source(),
                        refused.stream().map(partitions::get).toList(), false);
                List<CopyFieldType> textTypes = new ArrayList<>();
                for (StructField field : again.schema().fields()) {
                    textTypes.add(CopyFieldType.of(field.dataType()));
                }
                isolated = write(internalRows(again), spec.isolating(textTypes, refused));
            } catch (Exception e) {
                FullLoadException explained = readFailure(table.source().name().toString(), e);
                if (explained != null) {
                    throw explained;
                }
                throw e;
            }
            for (PartitionResult result : isolated) {
                if (result.dataError() != null) {
                    throw new FullLoadException(FailureCategory.LOAD, result.dataError()
                            + " (errors.data-error-policy = STOP_TASK; LOG_ERROR would keep it in the rejects table and load the rest)");
                }
            }
            results.addAll(isolated);
        }
        long rejected = results.stream().mapToLong(PartitionResult::rejected).sum();
        if (rejected > maxRejectedRows) {
            throw new FullLoadException(FailureCategory.LOAD, "the target refused " + rejected + " rows, more than"
                    + " errors.max-rejected-rows (" + maxRejectedRows + "); they are in " + rejectsTable);
        }
        return results;
    }

    /**
     * The rows of {@code frame} in Spark's internal form. A plain scan of pg-fullload's COPY source, as
     * the table reader builds it, is taken straight from the scan ({@link PgCopyDataSource#scanRows}),
     * without the copy into UnsafeRows that a plan's output gets: the writer consumes each row before
     * the next is read. Any other frame (Spark's JDBC source) goes through Spark's plan.
     */
    static RDD<InternalRow> internalRows(Dataset<Row> frame) {
        RDD<InternalRow> direct = PgCopyDataSource.scanRows(frame);
        return direct != null ? direct : frame.queryExecution().toRdd();
    }

    /** One Spark job: each partition of {@code rows} written by {@link PartitionWriter} on an executor. */
    private List<PartitionResult> write(RDD<InternalRow> rows, WriteSpec spec) {
        Object results = spark.sparkContext().runJob(rows, new WritePartition(spec), ClassTag$.MODULE$.apply(PartitionResult.class));
        return List.of((PartitionResult[]) results);
    }

    /**
     * The task of a write job. A named class rather than a lambda: Spark's closure cleaner parses the
     * bytecode around every Scala lambda it is given (several milliseconds per job, which a load of
     * many small tables paid per table), and has nothing to inspect in a plain serializable function
     * holding only the write spec.
     */
    static final class WritePartition extends AbstractFunction2<TaskContext, scala.collection.Iterator<InternalRow>, PartitionResult>
            implements Serializable {

        private static final long serialVersionUID = 1L;

        private final WriteSpec spec;

        WritePartition(WriteSpec spec) {
            this.spec = spec;
        }

        @Override
        public PartitionResult apply(TaskContext task, scala.collection.Iterator<InternalRow> rows) {
            try {
                // The COPY source's rows come as a Java iterator already; anything else is wrapped.
                @SuppressWarnings("unchecked")
                java.util.Iterator<InternalRow> javaRows = rows instanceof java.util.Iterator<?> direct
                        ? (java.util.Iterator<InternalRow>) direct : CollectionConverters.asJava(rows);
                return PartitionWriter.write(spec, task.partitionId(), javaRows);
            } catch (SQLException e) {
                // The task fails with the server's exception itself, as the caller's error messages expect.
                throw WritePartition.<RuntimeException>rethrow(e);
            }
        }

        @SuppressWarnings("unchecked")
        private static <T extends Throwable> T rethrow(Throwable failure) throws T {
            throw (T) failure;
        }
    }
}
