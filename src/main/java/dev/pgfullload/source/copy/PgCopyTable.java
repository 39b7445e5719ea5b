package dev.pgfullload.source.copy;

import dev.pgfullload.config.ConnectionSettings;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The table behind {@link PgCopyDataSource}: a fixed list of partition queries with a known schema. */
final class PgCopyTable implements SupportsRead {

    private final StructType schema;
    private final CaseInsensitiveStringMap options;

    PgCopyTable(StructType schema, CaseInsensitiveStringMap options) {
        this.schema = schema;
        this.options = options;
    }

    @Override
    public String name() {
        return "pg-fullload COPY source";
    }

    @Override
    public StructType schema() {
        return schema;
    }

    @Override
    public Set<TableCapability> capabilities() {
        return Set.of(TableCapability.BATCH_READ);
    }

    @Override
    public ScanBuilder newScanBuilder(CaseInsensitiveStringMap scanOptions) {
        return () -> new CopyScan(schema, options);
    }

    private static final class CopyScan implements Scan, Batch {

        private final StructType schema;
        private final CaseInsensitiveStringMap options;

        CopyScan(StructType schema, CaseInsensitiveStringMap options) {
            this.schema = schema;
            this.options = options;
        }

        @Override
        public StructType readSchema() {
            return schema;
        }

        @Override
        public String description() {
            return "COPY TO STDOUT (FORMAT binary), " + queries().length + " partitions";
        }

        @Override
        public Batch toBatch() {
            return this;
        }

        @Override
        public InputPartition[] planInputPartitions() {
            String[] queries = queries();
            InputPartition[] partitions = new InputPartition[queries.length];
            for (int i = 0; i < queries.length; i++) {
                partitions[i] = new PgCopyPartition(i, queries[i]);
            }
            return partitions;
        }

        @Override
        public PartitionReaderFactory createReaderFactory() {
            Map<String, String> properties = new HashMap<>();
            options.forEach((key, value) -> {
                if (key.startsWith("property.")) {
                    properties.put(key.substring("property.".length()), value);
                }
            });
            ConnectionSettings source = new ConnectionSettings(options.get("url"), options.get("user"), options.get("password"),
                    0, properties);
            return new PgCopyReaderFactory(source, schema, options.get("sessionInitStatement"));
        }

        private String[] queries() {
            return options.get("queries").split(Pattern.quote(PgCopyDataSource.QUERY_SEPARATOR));
        }
    }
}
