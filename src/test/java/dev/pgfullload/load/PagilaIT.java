package dev.pgfullload.load;

import dev.pgfullload.testing.ReportFile;
import dev.pgfullload.testing.Sql;
import dev.pgfullload.testing.SqlScript;
import dev.pgfullload.testing.TestingJob;
import dev.pgfullload.testing.TestingPostgreSQL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole Pagila sample database (a range-partitioned payment table with foreign keys on its
 * partitions, enums, domains, tsvector, arrays, bytea, views, a materialized view, last_update
 * triggers) plus its two jsonb tables filled with documents from {@code {}} to 5 MB, loaded in each
 * preparation mode and compared with the source table by table.
 */
class PagilaIT {

    /** Documents of every size for one jsonb table; %1$s is the table, %2$s its jsonb column. */
    private static final String JSON_ROWS_SQL = """
            INSERT INTO public.%1$s (%2$s) VALUES
              ('{}'), (NULL), ('null'), ('[]'), ('"just a string"'), ('-12.50'), ('true');
            INSERT INTO public.%1$s (%2$s)
              SELECT jsonb_build_object('package', 'postgresql-' || g, 'version', g || '.6-1.pgdg120+1', 'arch', 'amd64')
              FROM generate_series(1, 50) g;
            INSERT INTO public.%1$s (%2$s) VALUES
              (jsonb_build_object('depends', jsonb_build_array('libc6 (>= 2.34)', 'libpq5'),
                  'meta', jsonb_build_object('tags', jsonb_build_array(), 'empty', jsonb_build_object(),
                      'nested', jsonb_build_object('deeper', jsonb_build_object('deepest',
                          jsonb_build_array(1, 2.50, -0.0, 1e-7, 123456789012345678901234567890.123456789, true, false, null,
                              jsonb_build_array(jsonb_build_array(jsonb_build_array('bottom'))))))))),
              (jsonb_build_object('quote', 'he said "hi"', 'backslash', 'C:\\path\\to\\file', 'controls',
                  'tab' || chr(9) || 'newline' || chr(10) || 'cr' || chr(13) || 'bell' || chr(7) || 'unit' || chr(31),
                  'unicode', 'ünïcødé ı İ ß € 😀 𝄞 中文', 'ключ', 'значение', 'sql', 'it''s; $$ -- /* not */ a comment',
                  'key with "quotes" and \\ backslash', 'x', '', '')),
              ((SELECT jsonb_agg(jsonb_build_object('i', g, 'name', 'pkg-' || g, 'text', repeat('x', 80)))
                FROM generate_series(1, 1000) g)),
              (jsonb_build_object('blob', repeat('abcdefghij', 100000))),
              ((SELECT jsonb_agg(jsonb_build_object('i', g, 's', repeat('é"\\', 10))) FROM generate_series(1, 40000) g)),
              (jsonb_build_object('big', repeat('0123456789', 500000), 'tail', jsonb_build_array(1, 2, 3)));
            """;

    /** Tables whose last_update the load must leave as the source has it, with their key. */
    private static final Map<String, String> LAST_UPDATE = Map.of("actor", "actor_id", "customer", "customer_id",
            "film", "film_id", "rental", "rental_id", "inventory", "inventory_id");

    private static final TestingPostgreSQL POSTGRES = TestingPostgreSQL.shared();

    private static String source;
    private static List<String> tables;

    @TempDir
    Path directory;

    @BeforeAll
    static void restorePagila() {
        source = POSTGRES.createDatabase("pagila_src");
        SqlScript.run(POSTGRES, source, SqlScript.pagila("pagila-schema.sql"), SqlScript.pagila("pagila-schema-jsonb.sql"),
                SqlScript.pagila("pagila-data.sql"));
        POSTGRES.execute(source, JSON_ROWS_SQL.formatted("packages_apt_postgresql_org", "aptdata"));
        POSTGRES.execute(source, JSON_ROWS_SQL.formatted("packages_yum_postgresql_org", "yumdata"));
        POSTGRES.execute(source, "ANALYZE");
        tables = Sql.column(POSTGRES, source, """
                SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1
                """);
        // The restore really happened: Pagila's tables with their rows, and documents up to 5 MB.
        assertEquals(17, tables.size(), tables.toString());
        assertTrue(Sql.count(POSTGRES, source, "SELECT count(*) FROM public.rental") > 16000);
        assertTrue(Sql.count(POSTGRES, source, "SELECT count(*) FROM public.payment") > 16000);
        assertEquals(7, Sql.count(POSTGRES, source, "SELECT count(*) FROM pg_inherits WHERE inhparent = 'public.payment'::regclass"));
        assertTrue(Sql.count(POSTGRES, source, "SELECT max(octet_length(aptdata::text)) FROM public.packages_apt_postgresql_org")
                > 5_000_000);
    }

    @Test
    void dropAndCreateRecreatesPagilaFaithfully() {
        String target = POSTGRES.createDatabase("pagila_dc");
        TestingJob.Outcome outcome = load(target, "DROP_AND_CREATE");
        assertLoaded(outcome);

        assertEquals(tables, Sql.column(POSTGRES, target, """
                SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1
                """));
        for (String table : tables) {
            String comparable = "(SELECT " + jsonAsTextColumns(table) + " FROM public." + table + ")";
            assertEquals(Sql.count(POSTGRES, source, "SELECT count(*) FROM public." + table),
                    Sql.count(POSTGRES, target, "SELECT count(*) FROM public." + table), table);
            assertEquals(Sql.checksum(POSTGRES, source, comparable), Sql.checksum(POSTGRES, target, comparable), table);
        }
        assertLastUpdateUnchanged(target);

        // payment is partitioned in the target as in the source, and each row sits in the same partition.
        assertEquals("p", Sql.scalar(POSTGRES, target, "SELECT relkind FROM pg_class WHERE oid = 'public.payment'::regclass"));
        String partitions = """
                SELECT c.relname || ' ' || pg_get_expr(c.relpartbound, c.oid)
                FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = 'public.payment'::regclass ORDER BY 1
                """;
        assertEquals(Sql.column(POSTGRES, source, partitions), Sql.column(POSTGRES, target, partitions));
        assertEquals(Sql.scalar(POSTGRES, source, "SELECT pg_get_partkeydef('public.payment'::regclass)"),
                Sql.scalar(POSTGRES, target, "SELECT pg_get_partkeydef('public.payment'::regclass)"));
        String rowsPerPartition = "SELECT tableoid::regclass || ' ' || count(*) FROM public.payment GROUP BY tableoid ORDER BY 1";
        assertEquals(Sql.column(POSTGRES, source, rowsPerPartition), Sql.column(POSTGRES, target, rowsPerPartition));
        assertEquals(7, Sql.column(POSTGRES, target, rowsPerPartition).size());

        // The same indexes (the materialized view's aside: views are not tables) and constraints.
        String indexes = """
                SELECT indexdef FROM pg_indexes
                WHERE schemaname = 'public' AND tablename NOT IN (SELECT matviewname FROM pg_matviews WHERE schemaname = 'public')
                ORDER BY 1
                """;
        List<String> sourceIndexes = Sql.column(POSTGRES, source, indexes);
        assertEquals(sourceIndexes, Sql.column(POSTGRES, target, indexes));
        assertTrue(sourceIndexes.size() > 40, sourceIndexes.toString());
        String constraints = """
                SELECT c.relname || ' ' || con.conname || ' ' || pg_get_constraintdef(con.oid)
                FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND con.contype IN ('p', 'u', 'f', 'c') ORDER BY 1
                """;
        List<String> sourceConstraints = Sql.column(POSTGRES, source, constraints);
        assertEquals(sourceConstraints, Sql.column(POSTGRES, target, constraints));
        assertTrue(sourceConstraints.stream().filter(definition -> definition.contains("FOREIGN KEY")).count() >= 36,
                sourceConstraints.toString());

        // json and jsonb as text is the one column type difference.
        String columns = """
                SELECT c.table_name || '.' || c.column_name || ' ' || c.data_type
                FROM information_schema.columns c JOIN information_schema.tables t
                  ON t.table_schema = c.table_schema AND t.table_name = c.table_name
                WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' ORDER BY c.table_name, c.ordinal_position
                """;
        List<String> expectedColumns = Sql.column(POSTGRES, source, columns).stream()
                .map(column -> column.endsWith(" jsonb") || column.endsWith(" json")
                        ? column.substring(0, column.lastIndexOf(' ')) + " text" : column)
                .toList();
        assertEquals(expectedColumns, Sql.column(POSTGRES, target, columns));
        assertTrue(expectedColumns.contains("packages_apt_postgresql_org.aptdata text"), expectedColumns.toString());

        // Keys continue past what was loaded: a serial default, an identity column, a partitioned table's serial.
        long actorId = Sql.count(POSTGRES, target,
                "INSERT INTO public.actor (first_name, last_name) VALUES ('NEW', 'ACTOR') RETURNING actor_id");
        assertTrue(actorId > Sql.count(POSTGRES, source, "SELECT max(actor_id) FROM public.actor"), "actor_id " + actorId);
        long aptId = Sql.count(POSTGRES, target,
                "INSERT INTO public.packages_apt_postgresql_org (aptdata) VALUES ('{\"new\": true}') RETURNING id");
        assertTrue(aptId > Sql.count(POSTGRES, source, "SELECT max(id) FROM public.packages_apt_postgresql_org"), "id " + aptId);
        long paymentId = Sql.count(POSTGRES, target, """
                INSERT INTO public.payment (customer_id, staff_id, rental_id, amount, payment_date)
                SELECT customer_id, staff_id, rental_id, 1.00, '2022-03-15 12:00:00+00' FROM public.rental ORDER BY rental_id LIMIT 1
                RETURNING payment_id
                """);
        assertTrue(paymentId > Sql.count(POSTGRES, source, "SELECT max(payment_id) FROM public.payment"), "payment_id " + paymentId);
    }

    @Test
    void truncateBeforeLoadReplacesStaleRowsInPagilasOwnSchema() {
        String target = POSTGRES.createDatabase("pagila_tr");
        SqlScript.run(POSTGRES, target, SqlScript.pagila("pagila-schema.sql"), SqlScript.pagila("pagila-schema-jsonb.sql"),
                SqlScript.pagila("pagila-data.sql"));
        POSTGRES.execute(target, """
                INSERT INTO public.actor (actor_id, first_name, last_name) VALUES (900001, 'STALE', 'ROW');
                UPDATE public.film SET title = title || ' (stale)' WHERE film_id <= 10;
                DELETE FROM public.payment WHERE payment_id IN (SELECT payment_id FROM public.payment ORDER BY payment_id LIMIT 5);
                INSERT INTO public.packages_apt_postgresql_org (aptdata) VALUES ('{"stale": true}');
                INSERT INTO public.packages_yum_postgresql_org (yumdata) VALUES ('{"stale": true}'), ('[]');
                """);
        assertTrue(Sql.count(POSTGRES, target, "SELECT count(*) FROM public.rental") > 16000);

        TestingJob.Outcome outcome = load(target, "TRUNCATE_BEFORE_LOAD");
        assertLoaded(outcome);
        String preparation = ReportFile.read(outcome.report()).root().path("preparation").toString();
        assertTrue(preparation.contains("truncated"), preparation);

        assertSameRowsAndTypes(target);
        assertLastUpdateUnchanged(target);
        assertTriggersEnabled(target);
    }

    @Test
    void doNothingFillsPagilasEmptySchema() {
        String target = POSTGRES.createDatabase("pagila_dn");
        SqlScript.run(POSTGRES, target, SqlScript.pagila("pagila-schema.sql"), SqlScript.pagila("pagila-schema-jsonb.sql"));
        assertEquals(0, Sql.count(POSTGRES, target, "SELECT count(*) FROM public.payment"));

        TestingJob.Outcome outcome = load(target, "DO_NOTHING");
        assertLoaded(outcome);

        assertSameRowsAndTypes(target);
        assertLastUpdateUnchanged(target);
        assertTriggersEnabled(target);
    }

    private TestingJob.Outcome load(String target, String mode) {
        return TestingJob.run(TestingJob.settingsFile(directory, POSTGRES, source, target,
                "fullload.tables { \"include\" = [\"public.%\"] }"), "load.target-table-prep-mode=" + mode);
    }

    /** Exit 0, and the report lists every table (the partitioned payment once, no partition) as loaded. */
    private void assertLoaded(TestingJob.Outcome outcome) {
        assertEquals(0, outcome.status(), outcome.out() + outcome.err());
        ReportFile report = ReportFile.read(outcome.report());
        assertTrue(report.succeeded(), report.toString());
        List<String> loaded = new ArrayList<>();
        report.tables().forEach((target, table) -> {
            assertEquals("loaded", table.path("state").asText(), target);
            loaded.add(table.path("source").asText());
        });
        assertEquals(tables.stream().map(table -> "public." + table).sorted().toList(), loaded.stream().sorted().toList());
    }

    /** Pagila's own types in the target: rows compare directly, jsonb with jsonb. */
    private static void assertSameRowsAndTypes(String target) {
        for (String table : tables) {
            assertEquals(Sql.count(POSTGRES, source, "SELECT count(*) FROM public." + table),
                    Sql.count(POSTGRES, target, "SELECT count(*) FROM public." + table), table);
            assertEquals(Sql.checksum(POSTGRES, source, "public." + table), Sql.checksum(POSTGRES, target, "public." + table), table);
        }
        assertEquals("jsonb", Sql.scalar(POSTGRES, target,
                "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'public.packages_yum_postgresql_org'::regclass AND attname = 'yumdata'"));
    }

    /** The last_update values are the source's: no BEFORE UPDATE or INSERT trigger rewrote them during the load. */
    private static void assertLastUpdateUnchanged(String target) {
        Map<String, String> sourceDigests = new LinkedHashMap<>();
        Map<String, String> targetDigests = new LinkedHashMap<>();
        LAST_UPDATE.forEach((table, key) -> {
            String digest = "SELECT md5(string_agg(last_update::text, ',' ORDER BY " + key + ")) FROM public." + table;
            sourceDigests.put(table, Sql.scalar(POSTGRES, source, digest));
            targetDigests.put(table, Sql.scalar(POSTGRES, target, digest));
        });
        assertEquals(sourceDigests, targetDigests);
        assertFalse(sourceDigests.containsValue(null), sourceDigests.toString());
    }

    private static void assertTriggersEnabled(String target) {
        assertEquals(List.of(), Sql.column(POSTGRES, target,
                "SELECT tgrelid::regclass || ' ' || tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'O'"));
        assertEquals(15, Sql.count(POSTGRES, target, "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal"));
    }

    /** The select list of {@code table} in the source with json and jsonb columns read as their text. */
    private static String jsonAsTextColumns(String table) {
        return Sql.scalar(POSTGRES, source, """
                SELECT string_agg(CASE WHEN atttypid IN ('json'::regtype, 'jsonb'::regtype)
                                       THEN quote_ident(attname) || '::text AS ' || quote_ident(attname)
                                       ELSE quote_ident(attname) END, ', ' ORDER BY attnum)
                FROM pg_attribute WHERE attrelid = 'public.%s'::regclass AND attnum > 0 AND NOT attisdropped
                """.formatted(table));
    }
}
