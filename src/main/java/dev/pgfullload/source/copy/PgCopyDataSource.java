package dev.pgfullload.source.copy;

import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

import java.util.Map;

/**
 * A Spark data source that reads a PostgreSQL table with {@code COPY (SELECT ...) TO STDOUT (FORMAT binary)},
 * one COPY per Spark partition, and yields Spark's internal rows directly: about three times less
 * work than Spark's JDBC source, which goes through a ResultSet getter per value.
 *
 * <p>Options: {@code url}, {@code user}, {@code password}, {@code property.<name>} for further driver
 * properties, {@code queries} (one SELECT per partition, separated by {@link #QUERY_SEPARATOR}),
 * {@code sessionInitStatement}. The schema is given with {@code DataFrameReader.schema}; each
 * field's Spark type says how the column's binary value is decoded.
 */
public final class PgCopyDataSource implements TableProvider {

    public static final String QUERY_SEPARATOR = "\u0001";

    @Override
    public StructType inferSchema(CaseInsensitiveStringMap options) {
        throw new IllegalArgumentException("the pg-fullload COPY source needs its schema given with .schema(...)");
    }

    @Override
    public boolean supportsExternalMetadata() {
        return true;
    }

    @Override
    public Table getTable(StructType schema, Transform[] partitioning, Map<String, String> properties) {
        return new PgCopyTable(schema, new CaseInsensitiveStringMap(properties));
    }
}
