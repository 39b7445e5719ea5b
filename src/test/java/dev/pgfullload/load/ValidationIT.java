package dev.pgfullload.load;

import dev.pgfullload.config.Settings;
import dev.pgfullload.config.SettingsLoader;
import dev.pgfullload.error.FullLoadException;
import dev.pgfullload.schema.SchemaTransformer;
import dev.pgfullload.schema.TargetTable;
import dev.pgfullload.source.PostgresSourceDialect;
import dev.pgfullload.testing.ReportFile;
import dev.pgfullload.testing.SampleDatabase;
import dev.pgfullload.testing.Sql;
import dev.pgfullload.testing.TestingJob;
import dev.pgfullload.testing.TestingPostgreSQL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** COUNT and CHECKSUM validation: on its own, and failing a table in a run. */
class ValidationIT {

    private final TestingPostgreSQL postgres = TestingPostgreSQL.shared();

    @TempDir
    Path directory;

    @Test
    void theChecksumCatchesARowChangedByHandAfterTheLoad() throws Exception {
        String source = postgres.createDatabase("val_src");
        String target = postgres.createDatabase("val_dst");
        SampleDatabase.create(postgres, source);
        Path file = TestingJob.settingsFile(directory, postgres, source, target, "fullload.tables { \"include\" = [\"shop.%\"] }");
        assertEquals(0, TestingJob.run(file, "load.target-table-prep-mode=DROP_AND_CREATE", "validation.mode=NONE").status());

        Settings settings = SettingsLoader.load(file, List.of("validation.mode=CHECKSUM"));
        TargetTable customer;
        try (Connection connection = postgres.connect(source)) {
            customer = new SchemaTransformer(true).transform(new PostgresSourceDialect().discover(connection, settings.tables())
                    .tables().stream().filter(table -> table.name().name().equals("customer")).findFirst().orElseThrow());
        }
        Validator validator = new Validator(settings);
        try (Connection connection = postgres.connect(target)) {
            assertEquals("rows and checksum match (300 rows)", validator.validate(connection, customer, true, 300, 0));
        }
        postgres.execute(target, "UPDATE shop.customer SET email = 'changed@example.com' WHERE customer_id = 42");
        try (Connection connection = postgres.connect(target)) {
            FullLoadException e = assertThrows(FullLoadException.class, () -> validator.validate(connection, customer, true, 300, 0));
            assertThat(e.getMessage()).startsWith("validation failed: the checksum of the rows differs")
                    .endsWith("though both have 300 rows: a row differs");
            Settings counting = SettingsLoader.load(file, List.of("validation.mode=COUNT"));
            assertEquals("row count matches (300)", new Validator(counting).validate(connection, customer, true, 300, 0));
        }
        postgres.execute(target, "SET session_replication_role = replica; DELETE FROM shop.customer WHERE customer_id = 7");
        try (Connection connection = postgres.connect(target)) {
            FullLoadException e = assertThrows(FullLoadException.class,
                    () -> new Validator(SettingsLoader.load(file, List.of())).validate(connection, customer, true, 300, 0));
            assertEquals("validation failed: the source has 300 rows, the target has 299", e.getMessage());
        }
    }

    @Test
    void rowsThatBreakAForeignKeyTheLoadBypassedAreCountedAndCanFailTheTable() {
        String source = postgres.createDatabase("fk_src");
        String target = postgres.createDatabase("fk_dst");
        // The source has no foreign key: three orders point at a customer that does not exist.
        postgres.execute(source, """
                CREATE TABLE public.customer (id integer PRIMARY KEY);
                CREATE TABLE public.orders (id integer PRIMARY KEY, customer_id integer);
                INSERT INTO public.customer SELECT generate_series(1, 10);
                INSERT INTO public.orders SELECT g, CASE WHEN g <= 3 THEN 99 WHEN g = 4 THEN NULL ELSE g END FROM generate_series(1, 10) g;
                """);
        postgres.execute(target, """
                CREATE TABLE public.customer (id integer PRIMARY KEY);
                CREATE TABLE public.orders (id integer PRIMARY KEY, customer_id integer REFERENCES public.customer);
                """);
        Path file = TestingJob.settingsFile(directory, postgres, source, target, "");
        TestingJob.Outcome warned = TestingJob.run(file);
        assertEquals(0, warned.status(), warned.out() + warned.err());
        assertThat(ReportFile.read(warned.report()).root().get("preparation").toString())
                .contains("foreign key check: 3 rows of public.orders break foreign key orders_customer_id_fkey (no matching row in public.customer)");

        postgres.execute(target, "TRUNCATE public.customer, public.orders");
        TestingJob.Outcome failed = TestingJob.run(file, "validation.foreign-key-violations=FAIL");
        assertEquals(4, failed.status(), failed.out() + failed.err());
        assertEquals("foreign key check: 3 rows of public.orders break foreign key orders_customer_id_fkey (no matching row in public.customer)",
                ReportFile.read(failed.report()).table("public.orders").get("error").asText());
        assertEquals("loaded", ReportFile.read(failed.report()).table("public.customer").get("state").asText());
    }

    @Test
    void aRowChangedInTheTargetDuringTheLoadFailsTheTableInTheReport() {
        // The target's own trigger rewrites rows as they arrive (trigger mode NONE lets it fire).
        ReportFile report = loadThroughTheTargetsTriggers("val2", "");
        assertEquals("failed", report.table("shop.customer").get("state").asText());
        assertThat(report.table("shop.customer").get("error").asText()).startsWith("validation failed: the checksum of the rows differs");
        assertEquals("loaded", report.table("shop.product").get("state").asText());
        assertEquals("rows and checksum match (50 rows)", report.table("shop.product").get("note").asText());
        // Its rows are in the target all the same: a failure after the rows reports them.
        assertEquals(300, report.table("shop.customer").get("rowsWritten").asLong());
        assertEquals(300, report.table("shop.customer").get("rowsRead").asLong());
        assertEquals(1, report.table("shop.customer").get("partitions").asInt());
    }

    /** A parent that failed: the foreign keys to it cannot be judged, and the check says so rather than "clean". */
    @Test
    void theForeignKeyCheckNamesTheKeysItCouldNotJudgeBecauseATableFailed() {
        String source = postgres.createDatabase("fkf_src");
        String target = postgres.createDatabase("fkf_dst");
        postgres.execute(source, """
                CREATE TABLE public.parent (id integer PRIMARY KEY);
                CREATE TABLE public.child (id integer PRIMARY KEY, parent_id integer);
                INSERT INTO public.parent SELECT generate_series(1, 100);
                INSERT INTO public.child SELECT g, 1 + g % 100 FROM generate_series(1, 5000) g;
                """);
        postgres.execute(target, """
                CREATE TABLE public.parent (id integer PRIMARY KEY CHECK (id < 0));
                CREATE TABLE public.child (id integer PRIMARY KEY, parent_id integer REFERENCES public.parent);
                """);
        TestingJob.Outcome outcome = TestingJob.run(TestingJob.settingsFile(directory, postgres, source, target, ""));
        assertEquals(4, outcome.status(), outcome.out() + outcome.err());
        ReportFile report = ReportFile.read(outcome.report());
        assertEquals("failed", report.table("public.parent").get("state").asText());
        assertEquals("loaded", report.table("public.child").get("state").asText());
        String preparation = report.root().get("preparation").toString();
        assertThat(preparation).contains("foreign key check: foreign key child_parent_id_fkey of public.child (to public.parent)"
                + " was not checked: public.parent failed").doesNotContain("no row of the loaded tables breaks");
    }

    /** DO_NOTHING: a table that was empty before the load gets the checksum; one that kept rows of its own, the count of the run's rows. */
    @Test
    void doNothingChecksumsATableThatWasEmptyBeforeTheLoad() {
        String source = postgres.createDatabase("dn_src");
        String target = postgres.createDatabase("dn_dst");
        String schema = """
                CREATE TABLE public.empty_before (id integer PRIMARY KEY, v text);
                CREATE TABLE public.kept_rows (id integer PRIMARY KEY, v text);
                """;
        postgres.execute(source, schema + """
                INSERT INTO public.empty_before SELECT g, 'v' || g FROM generate_series(1, 100) g;
                INSERT INTO public.kept_rows SELECT g, 'v' || g FROM generate_series(1, 100) g;
                """);
        postgres.execute(target, schema + "INSERT INTO public.kept_rows VALUES (-1, 'the target''s own');");
        TestingJob.Outcome outcome = TestingJob.run(TestingJob.settingsFile(directory, postgres, source, target, ""),
                "validation.mode=CHECKSUM");
        assertEquals(0, outcome.status(), outcome.out() + outcome.err());
        ReportFile report = ReportFile.read(outcome.report());
        assertEquals("rows and checksum match (100 rows)", report.table("public.empty_before").get("note").asText());
        assertEquals("row count checked (100); no checksum: the table kept rows it had before the load",
                report.table("public.kept_rows").get("note").asText());
    }

    /** A LATIN1 source and a UTF8 target hold the same characters in different bytes: the checksum compares characters. */
    @Test
    void theChecksumMatchesIdenticalRowsAcrossDatabaseEncodings() {
        String source = "latin1_src_" + ProcessHandle.current().pid();
        postgres.execute("postgres", "CREATE DATABASE " + source
                + " ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0");
        String target = postgres.createDatabase("latin1_dst");
        postgres.execute(source, """
                CREATE TABLE public.words (id integer PRIMARY KEY, w text NOT NULL, c char(12), n numeric(10,2), d date);
                INSERT INTO public.words SELECT g, 'café ß ÿ ½ ' || g, 'é' || (g % 10), g / 3.0, date '2024-01-01' + g
                FROM generate_series(1, 1500) g;
                """);
        TestingJob.Outcome outcome = TestingJob.run(TestingJob.settingsFile(directory, postgres, source, target, ""),
                "load.target-table-prep-mode=DROP_AND_CREATE", "validation.mode=CHECKSUM");
        assertEquals(0, outcome.status(), outcome.out() + outcome.err());
        assertEquals("rows and checksum match (1500 rows)",
                ReportFile.read(outcome.report()).table("public.words").get("note").asText());
        assertEquals("café ß ÿ ½ 7", Sql.scalar(postgres, target, "SELECT w FROM public.words WHERE id = 7"));
    }

    /** A table read in key ranges: the mismatch names the range that differs, and only that one. */
    @Test
    void aMismatchOnATableReadInKeyRangesNamesTheRangeThatDiffers() {
        // One row of shop.purchase is changed on its way into the target; every other row arrives as it was.
        ReportFile report = loadThroughTheTargetsTriggers("val3", """
                DROP TRIGGER customer_touch ON shop.customer;
                CREATE OR REPLACE FUNCTION shop.touch_and_audit() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    -- Well inside a middle key range: the first and the last have a bound on one side only.
                    IF NEW.purchase_id = 750 THEN
                        NEW.note := 'changed on the way in';
                    END IF;
                    RETURN NEW;
                END $$;
                """, "load.rows-per-partition=500");

        String error = report.table("shop.purchase").get("error").asText();
        java.util.regex.Matcher range = java.util.regex.Pattern.compile("validation failed: the checksum of the rows differs \\(source \\w+,"
                + " target \\w+\\) though both have 2000 rows: a row differs; it differs in key range \\d+ \\(\"purchase_id\" >= '(\\d+)'::bigint"
                + " AND \"purchase_id\" < '(\\d+)'::bigint\\): source (\\d+) rows, target \\3, checksums differ").matcher(error);
        assertTrue(range.matches(), error);
        assertThat(Long.parseLong(range.group(1))).isLessThanOrEqualTo(750);
        assertThat(Long.parseLong(range.group(2))).isGreaterThan(750);
        // The other tables' checks are unaffected (purchase_line, a child of purchase, is skipped under trigger mode NONE).
        assertEquals("rows and checksum match (300 rows)", report.table("shop.customer").get("note").asText());
    }

    /**
     * The sample database loaded into a target that has its schema and {@code targetSql}, with trigger
     * mode NONE (the target's triggers fire) and CHECKSUM validation; the run must fail a table.
     */
    private ReportFile loadThroughTheTargetsTriggers(String prefix, String targetSql, String... overrides) {
        String source = postgres.createDatabase(prefix + "_src");
        String target = postgres.createDatabase(prefix + "_dst");
        SampleDatabase.create(postgres, source);
        postgres.execute(target, SampleDatabase.SCHEMA_SQL + targetSql);
        List<String> all = new java.util.ArrayList<>(List.of("load.trigger-mode=NONE", "load.target-table-prep-mode=TRUNCATE_BEFORE_LOAD",
                "validation.mode=CHECKSUM"));
        all.addAll(List.of(overrides));
        TestingJob.Outcome outcome = TestingJob.run(TestingJob.settingsFile(directory, postgres, source, target,
                "fullload.tables { \"include\" = [\"shop.%\"] }"), all.toArray(String[]::new));
        assertEquals(4, outcome.status(), outcome.out() + outcome.err());
        return ReportFile.read(outcome.report());
    }
}
