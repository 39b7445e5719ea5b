package dev.pgfullload.source;

import dev.pgfullload.config.ConnectionSettings;
import dev.pgfullload.jdbc.LockTimeoutConnectionProvider;
import dev.pgfullload.source.copy.PgCopyDataSource;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static java.util.Objects.requireNonNull;

/**
 * Reads a source table as a DataFrame, one Spark partition per {@link ReadPartition}: through
 * pg-fullload's COPY source for PostgreSQL ({@code source.read-method = COPY}), or through Spark's
 * JDBC source with a real fetch size ({@code JDBC}).
 */
public final class TableReader {

    /** How a source table is read. */
    public enum Method {
        COPY,
        JDBC
    }

    private final SparkSession spark;
    private final SourceDialect dialect;
    private final ConnectionSettings source;
    private final Method method;
    private final String snapshot;

    public TableReader(SparkSession spark, SourceDialect dialect, ConnectionSettings source, Method method) {
        this(spark, dialect, source, method, null);
    }

    /** @param snapshot the run's source snapshot ({@link SourceDialect#exportSnapshot}) every partition is read in, or null */
    public TableReader(SparkSession spark, SourceDialect dialect, ConnectionSettings source, Method method, String snapshot) {
        this.spark = requireNonNull(spark, "spark is null");
        this.dialect = requireNonNull(dialect, "dialect is null");
        this.source = requireNonNull(source, "source is null");
        this.method = requireNonNull(method, "method is null");
        this.snapshot = snapshot;
    }

    public Dataset<Row> read(SourceTable table, List<ReadPartition> partitions) {
        return read(table, partitions, false);
    }

    /**
     * @param binary read the columns {@link SourceColumn#readAsBinary} names in a binary form, as binary
     *               values for a binary COPY into a target column of that type (COPY method only)
     */
    public Dataset<Row> read(SourceTable table, List<ReadPartition> partitions, boolean binary) {
        return switch (method) {
            case COPY -> readWithCopy(table, dialect.selectList(table, binary), partitions, binary);
            case JDBC -> readWithJdbc(dialect.selectList(table), partitions);
        };
    }

    private Dataset<Row> readWithCopy(SourceTable table, String select, List<ReadPartition> partitions, boolean binary) {
        List<StructField> fields = new ArrayList<>();
        for (SourceColumn column : table.dataColumns()) {
            DataType type = column.readAsBinary(binary) ? DataTypes.BinaryType : sparkType(column.kind());
            fields.add(DataTypes.createStructField(column.name(), type, true));
        }
        List<String> queries = partitions.stream().map(partition -> select + " " + partition.sql()).toList();
        DataFrameReader reader = spark.read().format(PgCopyDataSource.class.getName())
                .schema(new StructType(fields.toArray(StructField[]::new)))
                .option("url", source.url())
                .option("queries", String.join(PgCopyDataSource.QUERY_SEPARATOR, queries));
        if (source.user() != null) {
            reader = reader.option("user", source.user());
        }
        if (source.password() != null) {
            reader = reader.option("password", source.password());
        }
        // The extra driver properties and the TLS ones; user and password have their own options above.
        Properties properties = source.driverProperties();
        properties.remove("user");
        properties.remove("password");
        for (String name : properties.stringPropertyNames()) {
            reader = reader.option("property." + name, properties.getProperty(name));
        }
        // The COPY reader runs it first in the transaction it has begun.
        String init = dialect.readingSessionStatement(snapshot, true, source.lockTimeoutMillis());
        if (init != null) {
            reader = reader.option("sessionInitStatement", init);
        }
        return reader.load();
    }

    private Dataset<Row> readWithJdbc(String select, List<ReadPartition> partitions) {
        Properties properties = source.driverProperties();
        properties.setProperty("fetchsize", String.valueOf(source.fetchSize()));
        if (source.lockTimeoutMillis() > 0 && dialect.lockTimeoutStatement(source.lockTimeoutMillis()) != null) {
            // source.lock-timeout from the start of each session, the driver's question for the query's columns included.
            LockTimeoutConnectionProvider.options(properties, source.lockTimeoutMillis());
        }
        // Spark's JDBC source runs it on each new session before its query, in the transaction the rows are then
        // fetched in. BEGIN starts that transaction in autocommit; when the driver has begun one already (autocommit
        // off to fetch), the server only warns, and BEGIN's isolation level still applies, as nothing has read yet.
        // It sets the lock timeout again inside that transaction, for a pooler that hands each transaction to a
        // different server session.
        String init = dialect.readingSessionStatement(snapshot, false, source.lockTimeoutMillis());
        if (init != null) {
            properties.setProperty("sessionInitStatement", init);
        }
        // One read per partition, its condition inside the query, united: Spark's own predicates would go outside it,
        // where a split column is already in its text form (numeric, date/time keys) or not there at all (ctid).
        Dataset<Row> union = null;
        for (ReadPartition partition : partitions) {
            Dataset<Row> part = spark.read().jdbc(source.url(), "(" + select + " " + partition.sql() + ") AS pgfullload_source",
                    new String[] {"TRUE"}, properties);
            union = union == null ? part : union.union(part);
        }
        return union;
    }

    static DataType sparkType(ColumnKind kind) {
        return switch (kind) {
            case SMALLINT -> DataTypes.ShortType;
            case INTEGER -> DataTypes.IntegerType;
            case BIGINT -> DataTypes.LongType;
            case BOOLEAN -> DataTypes.BooleanType;
            case REAL -> DataTypes.FloatType;
            case DOUBLE -> DataTypes.DoubleType;
            case BINARY -> DataTypes.BinaryType;
            case STRING, JSON, MONEY, TEXT_FORM -> DataTypes.StringType;
        };
    }
}
