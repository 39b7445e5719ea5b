package dev.pgfullload.target;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pgfullload.testing.ReportFile;
import dev.pgfullload.testing.Sql;
import dev.pgfullload.testing.TestingJob;
import dev.pgfullload.testing.TestingPostgreSQL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Range (with a DEFAULT partition and a list-sub-partitioned partition), list and hash partitioned
 * tables: recreated as partitioned tables with the same partitions, bounds and keys, each row loaded
 * once, through its root, into the same partition as in the source; partitions, which
 * {@code public.%} also matches, are never loaded as tables of their own.
 */
class PartitionedTableIT {

    static final String SCHEMA_SQL = """
            CREATE TABLE public.events (
                id bigint NOT NULL,
                happened date NOT NULL,
                region text NOT NULL,
                payload text,
                PRIMARY KEY (id, happened, region)
            ) PARTITION BY RANGE (happened);
            CREATE TABLE public.events_2023 PARTITION OF public.events FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
            CREATE TABLE public.events_2024 PARTITION OF public.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')
                PARTITION BY LIST (region);
            CREATE TABLE public.events_2024_europe PARTITION OF public.events_2024 FOR VALUES IN ('eu', 'uk');
            CREATE TABLE public.events_2024_us PARTITION OF public.events_2024 FOR VALUES IN ('us');
            CREATE TABLE public.events_2024_other PARTITION OF public.events_2024 DEFAULT;
            CREATE TABLE public.events_default PARTITION OF public.events DEFAULT;
            CREATE INDEX events_payload_idx ON public.events (payload);
            CREATE INDEX events_2023_region_idx ON public.events_2023 (region);

            CREATE TABLE public.accounts (
                id bigint NOT NULL,
                country text NOT NULL,
                name text,
                PRIMARY KEY (id, country)
            ) PARTITION BY LIST (country);
            CREATE TABLE public.accounts_de PARTITION OF public.accounts FOR VALUES IN ('DE');
            CREATE TABLE public.accounts_fr_be PARTITION OF public.accounts FOR VALUES IN ('FR', 'BE');
            CREATE TABLE public.accounts_other PARTITION OF public.accounts DEFAULT;

            CREATE TABLE public.readings (
                account_id bigint NOT NULL,
                country text NOT NULL,
                taken timestamptz NOT NULL,
                value numeric(10, 3),
                FOREIGN KEY (account_id, country) REFERENCES public.accounts (id, country)
            ) PARTITION BY HASH (account_id);
            CREATE TABLE public.readings_0 PARTITION OF public.readings FOR VALUES WITH (MODULUS 3, REMAINDER 0);
            CREATE TABLE public.readings_1 PARTITION OF public.readings FOR VALUES WITH (MODULUS 3, REMAINDER 1);
            CREATE TABLE public.readings_2 PARTITION OF public.readings FOR VALUES WITH (MODULUS 3, REMAINDER 2);
            CREATE INDEX readings_taken_idx ON public.readings (taken);
            """;

    static final String ROWS_SQL = """
            INSERT INTO public.events
            SELECT g, DATE '2022-06-01' + (g % 1500), (ARRAY['eu', 'uk', 'us', 'jp', 'br'])[1 + g % 5], 'event ' || g
            FROM generate_series(1, 9000) g;
            INSERT INTO public.accounts
            SELECT g, (ARRAY['DE', 'FR', 'BE', 'NL', 'PL'])[1 + g % 5], 'account ' || g FROM generate_series(1, 500) g;
            INSERT INTO public.readings
            SELECT a.id, a.country, TIMESTAMPTZ '2024-01-01 00:00:00+00' + r * INTERVAL '1 hour', r / 7.0
            FROM public.accounts a CROSS JOIN generate_series(1, 8) r;
            ANALYZE;
            """;

    private static final List<String> ROOTS = List.of("accounts", "events", "readings");

    private static final TestingPostgreSQL POSTGRES = TestingPostgreSQL.shared();
    private static String source;

    @TempDir
    Path directory;

    @BeforeAll
    static void createSource() {
        source = POSTGRES.createDatabase("parts_src");
        POSTGRES.execute(source, SCHEMA_SQL);
        POSTGRES.execute(source, ROWS_SQL);
        // Every partition of the source holds rows, the defaults included.
        assertEquals(List.of(), Sql.column(POSTGRES, source, """
                SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relispartition AND c.reltuples <= 0
                """));
    }

    @Test
    void dropAndCreateRecreatesEveryPartitionTreeAndLoadsEachRowOnce() {
        String target = POSTGRES.createDatabase("parts_dc");
        TestingJob.Outcome outcome = load(target, "DROP_AND_CREATE");
        assertEquals(0, outcome.status(), outcome.out() + outcome.err());

        assertSameTreesAndRows(target);
        assertOnlyRootsLoaded(outcome);

        // The indexes (one on a partitioned table, which its partitions inherit; one on a partition
        // only) and the keys, primary and foreign, on every level.
        String indexes = "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1";
        assertEquals(Sql.column(POSTGRES, source, indexes), Sql.column(POSTGRES, target, indexes));
        String constraints = """
                SELECT c.relname || ' ' || con.conname || ' ' || pg_get_constraintdef(con.oid)
                FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND con.contype IN ('p', 'u', 'f', 'c') ORDER BY 1
                """;
        assertEquals(Sql.column(POSTGRES, source, constraints), Sql.column(POSTGRES, target, constraints));
        assertEquals(List.of(), Sql.column(POSTGRES, target, "SELECT indexrelid::regclass::text FROM pg_index WHERE NOT indisvalid"));

        // Rows inserted later are routed by the recreated bounds, the defaults included.
        POSTGRES.execute(target, """
                INSERT INTO public.events VALUES (100001, '2024-05-05', 'jp', 'new'), (100002, '2031-01-01', 'eu', 'new');
                """);
        assertEquals(List.of("events_2024_other", "events_default"), Sql.column(POSTGRES, target,
                "SELECT tableoid::regclass::text FROM public.events WHERE id > 100000 ORDER BY id"));
    }

    @Test
    void truncateBeforeLoadEmptiesPartitionedTablesAndLoadsEachRowOnce() {
        String target = POSTGRES.createDatabase("parts_tr");
        POSTGRES.execute(target, SCHEMA_SQL);
        // Stale rows in partitions at every level; a foreign key from a partitioned table to another.
        POSTGRES.execute(target, """
                INSERT INTO public.events VALUES (1, '2024-02-02', 'us', 'stale'), (2, '2019-01-01', 'xx', 'stale');
                INSERT INTO public.accounts VALUES (1, 'DE', 'stale');
                INSERT INTO public.readings VALUES (1, 'DE', now(), 0);
                """);
        TestingJob.Outcome outcome = load(target, "TRUNCATE_BEFORE_LOAD");
        assertEquals(0, outcome.status(), outcome.out() + outcome.err());

        assertSameTreesAndRows(target);
        assertOnlyRootsLoaded(outcome);

        // A second run over the loaded target replaces the rows, never adds to them.
        TestingJob.Outcome again = load(target, "TRUNCATE_BEFORE_LOAD");
        assertEquals(0, again.status(), again.out() + again.err());
        assertSameTreesAndRows(target);
    }

    /**
     * Split reads take each leaf partition on its own, which needs SELECT on the leaf; a source user
     * granted only the roots (all that reading through a root needs) still gets every row, each tree
     * read through its root. With the leaves granted too, each leaf is a read partition of its own.
     */
    @Test
    void aSourceUserAllowedOnlyTheRootsReadsEachTreeThroughItsRoot() {
        String target = POSTGRES.createDatabase("parts_roots");
        String reader = "roots_" + target;
        POSTGRES.execute("postgres", "CREATE ROLE " + reader + " LOGIN PASSWORD 'Roots-only-1'");
        POSTGRES.execute(source, "GRANT USAGE ON SCHEMA public TO " + reader
                + "; GRANT SELECT ON public.events, public.accounts, public.readings TO " + reader);
        String[] overrides = {"load.target-table-prep-mode=DROP_AND_CREATE", "load.rows-per-partition=1000",
                "source.user=" + reader, "source.password=Roots-only-1"};
        Path settings = TestingJob.settingsFile(directory, POSTGRES, source, target, "fullload.tables { \"include\" = [\"public.%\"] }");

        TestingJob.Outcome rootsOnly = TestingJob.run(settings, overrides);

        assertEquals(0, rootsOnly.status(), rootsOnly.out() + rootsOnly.err());
        assertSameTreesAndRows(target);
        assertOnlyRootsLoaded(rootsOnly);
        assertEquals(1, ReportFile.read(rootsOnly.report()).table("public.events").path("partitions").asInt());

        POSTGRES.execute(source, "GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + reader);
        TestingJob.Outcome leaves = TestingJob.run(settings, overrides);

        assertEquals(0, leaves.status(), leaves.out() + leaves.err());
        assertSameTreesAndRows(target);
        // Each leaf read on its own, and a leaf of more than 1000 rows in ranges of its pages.
        long leafCount = Sql.count(POSTGRES, source, "SELECT count(*) FROM pg_class WHERE relispartition AND relkind = 'r'"
                + " AND relname LIKE 'events%'");
        long bigLeaves = Sql.count(POSTGRES, source, "SELECT count(*) FROM pg_class WHERE relispartition AND relkind = 'r'"
                + " AND relname LIKE 'events%' AND reltuples > 1000");
        long partitions = ReportFile.read(leaves.report()).table("public.events").path("partitions").asLong();
        assertTrue(partitions >= leafCount + bigLeaves, partitions + " read partitions for " + leafCount + " leaves, "
                + bigLeaves + " of them over 1000 rows");
    }

    private TestingJob.Outcome load(String target, String mode) {
        return TestingJob.run(TestingJob.settingsFile(directory, POSTGRES, source, target,
                "fullload.tables { \"include\" = [\"public.%\"] }"), "load.target-table-prep-mode=" + mode);
    }

    /** Same partition trees (kinds, bounds, keys), same rows, each in the same partition as in the source. */
    private static void assertSameTreesAndRows(String target) {
        for (String root : ROOTS) {
            String tree = """
                    WITH RECURSIVE tree(oid, path) AS (
                        SELECT 'public.%1$s'::regclass::oid, '%1$s'::text
                        UNION ALL
                        SELECT i.inhrelid, tree.path || ' > ' || (c.relname::text COLLATE "default")
                        FROM tree JOIN pg_inherits i ON i.inhparent = tree.oid JOIN pg_class c ON c.oid = i.inhrelid
                    )
                    SELECT tree.path || ' [' || c.relkind::text || '] ' || coalesce(pg_get_expr(c.relpartbound, c.oid), 'root')
                           || coalesce(' PARTITION BY ' || pg_get_partkeydef(c.oid), '')
                    FROM tree JOIN pg_class c ON c.oid = tree.oid ORDER BY 1
                    """.formatted(root);
            List<String> sourceTree = Sql.column(POSTGRES, source, tree);
            assertEquals(sourceTree, Sql.column(POSTGRES, target, tree), root);
            assertTrue(sourceTree.stream().anyMatch(node -> node.startsWith(root + " [p] root PARTITION BY ")), sourceTree.toString());

            String rowsPerPartition = "SELECT tableoid::regclass::text || ' ' || count(*) FROM public." + root
                    + " GROUP BY tableoid ORDER BY 1";
            assertEquals(Sql.column(POSTGRES, source, rowsPerPartition), Sql.column(POSTGRES, target, rowsPerPartition), root);
            assertEquals(Sql.checksum(POSTGRES, source, "public." + root), Sql.checksum(POSTGRES, target, "public." + root), root);
        }
        assertEquals(6, Sql.count(POSTGRES, target,
                "SELECT count(*) FROM pg_class WHERE relispartition AND relkind IN ('r', 'p') AND relname LIKE 'events%'"));
    }

    /** The report and the console list the three partitioned tables, each with its source row count, and no partition. */
    private static void assertOnlyRootsLoaded(TestingJob.Outcome outcome) {
        ReportFile report = ReportFile.read(outcome.report());
        assertTrue(report.succeeded(), report.toString());
        Map<String, Long> written = new TreeMap<>();
        for (Map.Entry<String, JsonNode> table : report.tables().entrySet()) {
            assertEquals(table.getKey(), table.getValue().path("source").asText());
            written.put(table.getKey(), table.getValue().path("rowsWritten").asLong());
        }
        Map<String, Long> expected = new TreeMap<>();
        for (String root : ROOTS) {
            expected.put("public." + root, Sql.count(POSTGRES, source, "SELECT count(*) FROM public." + root));
        }
        assertEquals(expected, written);
        for (String partition : Sql.column(POSTGRES, source, "SELECT relname FROM pg_class WHERE relispartition AND relkind IN ('r', 'p')")) {
            assertFalse(outcome.out().contains("public." + partition + " "), partition + " was loaded as a table:\n" + outcome.out());
        }
    }
}
