package dev.pgfullload.source;

import dev.pgfullload.config.TablePattern;
import dev.pgfullload.config.TableSelection;
import dev.pgfullload.testing.TestingPostgreSQL;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PartitionBoundariesIT {

    private final TestingPostgreSQL postgres = TestingPostgreSQL.shared();

    private static SourceTable discover(Connection connection) throws Exception {
        return new PostgresSourceDialect().discover(connection,
                new TableSelection(List.of(TablePattern.parse("public.skewed")), List.of())).tables().get(0);
    }

    @Test
    void freshStatisticsPlaceTheBoundariesAndStaleOnesAreNotUsed() throws Exception {
        String source = postgres.createDatabase("bounds");
        // Skewed keys: a third of the rows up to 20,000, the rest spread thinly up to 10,020,000.
        postgres.execute(source, "CREATE TABLE public.skewed (id bigint PRIMARY KEY, note text);"
                + " INSERT INTO public.skewed SELECT g, 'n' FROM generate_series(1, 20000) g;"
                + " INSERT INTO public.skewed SELECT 20000 + g * 250, 'n' FROM generate_series(1, 40000) g");
        try (Connection connection = postgres.connect(source)) {
            // Analyzed once the statistics hold the inserts, as autovacuum would.
            awaitCounted(connection, 60000);
            postgres.execute(source, "ANALYZE public.skewed");
            SourceTable table = discover(connection);
            SourceColumn key = PostgresPartitionPlanner.splitColumn(table);
            List<String> histogram = PostgresPartitionPlanner.freshHistogram(connection, table, key);
            assertEquals(101, histogram.size());
            List<ReadPartition> plan = PostgresPartitionPlanner.plan(connection, table,
                    new PartitionSizing(10000, Long.MAX_VALUE, PartitionSizing.MAX_PARTITIONS), null);
            assertEquals(6, plan.size());
            // The ranges end at the histogram's quantiles.
            List<String> expected = PostgresPartitionPlanner.histogramBoundaries(histogram, 6, true);
            for (int i = 0; i < expected.size(); i++) {
                assertTrue(plan.get(i).where().contains("\"id\" < '" + expected.get(i) + "'::bigint"), plan.get(i).where());
            }
            // Every row in exactly one partition, and no partition far from a sixth of them.
            long total = 0;
            for (ReadPartition partition : plan) {
                long rows = count(connection, partition);
                total += rows;
                assertTrue(rows > 9000 && rows < 11000, partition.sql() + " holds " + rows + " rows");
            }
            assertEquals(60000, total);

            // 10 % more rows since ANALYZE: the histogram is stale and the planner samples instead.
            postgres.execute(source, "INSERT INTO public.skewed SELECT 20000000 + g, 'n' FROM generate_series(1, 6000) g");
            awaitCounted(connection, 6000);
            assertEquals(List.of(), PostgresPartitionPlanner.freshHistogram(connection, discover(connection), key));
        }
    }

    private static long count(Connection connection, ReadPartition partition) throws Exception {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) " + partition.sql())) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** The statistics system counts another session's changes once that session reports them. */
    private static void awaitCounted(Connection connection, long changes) {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_catalog.pg_stat_clear_snapshot()");
                try (ResultSet rows = statement.executeQuery(
                        "SELECT n_mod_since_analyze FROM pg_catalog.pg_stat_all_tables WHERE relid = 'public.skewed'::regclass")) {
                    rows.next();
                    return rows.getLong(1) >= changes;
                }
            }
        });
    }
}
