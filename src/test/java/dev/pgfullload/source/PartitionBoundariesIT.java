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
        return discover(connection, "public.skewed");
    }

    private static SourceTable discover(Connection connection, String table) throws Exception {
        return new PostgresSourceDialect().discover(connection,
                new TableSelection(List.of(TablePattern.parse(table)), List.of())).tables().get(0);
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

    @Test
    void aTableWithoutAPrimaryKeyIsSplitOnANotNullColumnWithAUniqueIndexOfItsOwn() throws Exception {
        String source = postgres.createDatabase("unique_split");
        // Skewed codes: a third of the rows below 20,000, the rest spread thinly up to 10,020,000. The indexes
        // that do not qualify are made first: on a nullable column, partial, on an expression, on two columns.
        postgres.execute(source, "CREATE TABLE public.coded (maybe bigint, part bigint NOT NULL, code bigint NOT NULL,"
                + " label text NOT NULL);"
                + " INSERT INTO public.coded SELECT g, g, g, 'c' FROM generate_series(1, 20000) g;"
                + " INSERT INTO public.coded SELECT NULL, 20000 + g, 20000 + g * 250, 'c' FROM generate_series(1, 40000) g;"
                + " CREATE UNIQUE INDEX coded_maybe ON public.coded (maybe);"
                + " CREATE UNIQUE INDEX coded_part ON public.coded (part) WHERE part > 0;"
                + " CREATE UNIQUE INDEX coded_twice ON public.coded ((code * 2));"
                + " CREATE UNIQUE INDEX coded_pair ON public.coded (part, label);"
                + " CREATE UNIQUE INDEX coded_code ON public.coded (code) INCLUDE (label);"
                + " CREATE TABLE public.loose (maybe bigint, part bigint NOT NULL, label text NOT NULL);"
                + " INSERT INTO public.loose SELECT g, g, repeat('x', 200) FROM generate_series(1, 60000) g;"
                + " INSERT INTO public.loose SELECT NULL, -g, repeat('x', 200) FROM generate_series(1, 100) g;"
                + " CREATE UNIQUE INDEX loose_maybe ON public.loose (maybe);"
                + " CREATE UNIQUE INDEX loose_part ON public.loose (part) WHERE part > 0");
        try (Connection connection = postgres.connect(source)) {
            PartitionSizing sizing = new PartitionSizing(10000, Long.MAX_VALUE, PartitionSizing.MAX_PARTITIONS);
            SourceTable coded = discover(connection, "public.coded");
            assertEquals(List.of(), coded.primaryKey());
            assertEquals("code", PostgresPartitionPlanner.uniqueColumn(connection, coded).name());
            List<ReadPartition> plan = PostgresPartitionPlanner.plan(connection, coded, sizing, null);
            int wanted = sizing.partitions(coded.estimatedRows(), coded.estimatedBytes());
            assertTrue(wanted >= 6, "estimated " + coded.estimatedRows() + " rows");
            assertEquals(wanted, plan.size());
            long total = 0;
            for (ReadPartition partition : plan) {
                assertTrue(partition.where().contains("\"code\" "), partition.where());
                long rows = count(connection, partition);
                total += rows;
                // Placed at the quantiles of a sample of whole pages, which is off by a few percent of the table:
                // equal strides from the least code to the greatest would put 2.7 shares in the first partition.
                assertTrue(rows > 0.5 * 60000 / wanted && rows < 1.5 * 60000 / wanted, partition.sql() + " holds " + rows + " rows");
            }
            assertEquals(60000, total);

            // Only a nullable column and a partial index: no key, so ranges of heap pages, every row read once.
            SourceTable loose = discover(connection, "public.loose");
            assertEquals(null, PostgresPartitionPlanner.uniqueColumn(connection, loose));
            List<ReadPartition> pages = PostgresPartitionPlanner.plan(connection, loose, sizing, null);
            assertEquals(sizing.partitions(loose.estimatedRows(), loose.estimatedBytes()), pages.size());
            assertTrue(pages.size() >= 6, pages.size() + " partitions");
            long read = 0;
            for (ReadPartition partition : pages) {
                assertTrue(partition.where().contains("ctid"), partition.where());
                read += count(connection, partition);
            }
            assertEquals(60100, read);
        }
    }

    @Test
    void aLeafPartitionLargerThanTheGrainIsReadInRangesOfItsPages() throws Exception {
        String source = postgres.createDatabase("leaves");
        // The key includes the partition key, as PostgreSQL requires: no single column to split the table on.
        postgres.execute(source, "CREATE TABLE public.parted (id bigint, day date, pad text NOT NULL, PRIMARY KEY (id, day))"
                + " PARTITION BY RANGE (day);"
                + " CREATE TABLE public.parted_old PARTITION OF public.parted FOR VALUES FROM ('2020-01-01') TO ('2024-01-01');"
                + " CREATE TABLE public.parted_new PARTITION OF public.parted FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');"
                + " CREATE TABLE public.parted_rest PARTITION OF public.parted DEFAULT;"
                + " INSERT INTO public.parted SELECT g, date '2020-01-01' + g % 1000, repeat('p', 100) FROM generate_series(1, 30000) g;"
                + " INSERT INTO public.parted SELECT 100000 + g, date '2024-01-01' + g % 300, 'p' FROM generate_series(1, 100) g;"
                + " ANALYZE public.parted_old; ANALYZE public.parted_new");
        try (Connection connection = postgres.connect(source)) {
            SourceTable parted = discover(connection, "public.parted");
            PartitionSizing sizing = new PartitionSizing(10000, Long.MAX_VALUE, PartitionSizing.MAX_PARTITIONS);
            List<ReadPartition> plan = PostgresPartitionPlanner.plan(connection, parted, sizing, null);
            List<ReadPartition> old = plan.stream().filter(partition -> partition.from().equals("FROM ONLY \"public\".\"parted_old\"")).toList();
            assertEquals(3, old.size(), plan.toString());
            assertTrue(old.stream().allMatch(partition -> partition.where().contains("ctid")), old.toString());
            assertEquals(List.of("FROM ONLY \"public\".\"parted_new\"", "FROM ONLY \"public\".\"parted_rest\""),
                    plan.stream().filter(partition -> partition.where() == null).map(ReadPartition::sql).sorted().toList());
            assertEquals(5, plan.size());
            long total = 0;
            for (ReadPartition partition : plan) {
                total += count(connection, partition);
            }
            assertEquals(30100, total);
            for (ReadPartition partition : old) {
                long rows = count(connection, partition);
                assertTrue(rows > 8000 && rows < 12000, partition.sql() + " holds " + rows + " rows");
            }
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
