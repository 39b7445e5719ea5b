package dev.pgfullload.source.copy;

import dev.pgfullload.config.ConnectionSettings;
import dev.pgfullload.config.TablePattern;
import dev.pgfullload.config.TableSelection;
import dev.pgfullload.source.PartitionSizing;
import dev.pgfullload.source.PostgresSourceDialect;
import dev.pgfullload.source.ReadPartition;
import dev.pgfullload.source.SourceTable;
import dev.pgfullload.source.TableReader;
import dev.pgfullload.testing.TestingPostgreSQL;
import dev.pgfullload.testing.TestingSpark;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

class PgCopyScanIT {

    private final TestingPostgreSQL postgres = TestingPostgreSQL.shared();

    @Test
    void aScanOfTheCopySourceIsTakenFromTheAnalyzedRelationWithEveryRowOnce() throws Exception {
        String source = postgres.createDatabase("scan");
        postgres.execute(source, "CREATE TABLE public.readings (id bigint PRIMARY KEY, note text);"
                + " INSERT INTO public.readings SELECT g, 'note ' || g FROM generate_series(1, 3000) g; ANALYZE public.readings");
        ConnectionSettings settings = new ConnectionSettings(postgres.jdbcUrl(source), postgres.adminUser(),
                postgres.adminPassword(), 1000, Map.of());
        PostgresSourceDialect dialect = new PostgresSourceDialect();
        SourceTable table;
        List<ReadPartition> plan;
        try (Connection connection = postgres.connect(source)) {
            table = dialect.discover(connection, new TableSelection(List.of(TablePattern.parse("public.readings")), List.of()))
                    .tables().get(0);
            plan = dialect.planPartitions(connection, table, new PartitionSizing(1000, Long.MAX_VALUE, PartitionSizing.MAX_PARTITIONS));
        }
        assertEquals(3, plan.size());
        Dataset<Row> frame = new TableReader(TestingSpark.session(), dialect, settings, TableReader.Method.COPY).read(table, plan, true);

        RDD<InternalRow> rows = PgCopyDataSource.scanRows(frame);

        assertInstanceOf(PgCopyRDD.class, rows);
        assertEquals(3, rows.getNumPartitions());
        // Every key once, across the partitions, with its own note.
        TreeSet<Long> ids = new TreeSet<>();
        for (Object value : (Object[]) rows.toJavaRDD().map(row -> row.getLong(0) + ":" + row.getUTF8String(1)).collect().toArray()) {
            String[] parts = ((String) value).split(":");
            assertEquals("note " + parts[0], parts[1]);
            ids.add(Long.parseLong(parts[0]));
        }
        assertEquals(3000, ids.size());
        assertEquals(1L, ids.first());
        assertEquals(3000L, ids.last());
    }

    @Test
    void anyOtherPlanIsLeftToSpark() throws Exception {
        Dataset<Row> other = TestingSpark.session().range(3).toDF();
        assertNull(PgCopyDataSource.scanRows(other));
    }
}
