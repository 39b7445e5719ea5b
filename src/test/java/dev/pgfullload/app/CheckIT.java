package dev.pgfullload.app;

import dev.pgfullload.testing.JobProcess;
import dev.pgfullload.testing.SampleDatabase;
import dev.pgfullload.testing.Sql;
import dev.pgfullload.testing.TestingJob;
import dev.pgfullload.testing.TestingPostgreSQL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --check}: discovery and preflight only. It prints the plan and every problem, writes nothing
 * anywhere (no schema, table or control table in the target, no report), starts no Spark, and exits 0
 * when the load could run and 3 when it would be refused.
 */
class CheckIT {

    private static final TestingPostgreSQL postgres = TestingPostgreSQL.shared();

    private static final String PASSWORD = "Check-me-1";

    private static String source;

    @TempDir
    Path directory;

    @BeforeAll
    static void createSource() {
        source = postgres.createDatabase("check_src");
        SampleDatabase.create(postgres, source);
        // Estimates from statistics, so the plan's row counts are exact (an empty table: the planner's minimum of 1).
        postgres.execute(source, "ANALYZE");
    }

    @Test
    void aGoodConfigurationPrintsThePlanAndWritesNothing() {
        String target = postgres.createDatabase("check_good");
        String before = contents(target);

        TestingJob.Outcome outcome = check(target, "load.target-table-prep-mode=DROP_AND_CREATE", "load.rows-per-partition=1000");

        assertEquals(0, outcome.status(), outcome.out() + outcome.err());
        String triggers = "; triggers SESSION_REPLICATION_ROLE; about ";
        assertEquals("""
                pg-fullload check: from %s to %s
                load.target-table-prep-mode = DROP_AND_CREATE, load.trigger-mode = SESSION_REPLICATION_ROLE
                5 tables (read partitions rounded to 2 cores):
                  shop.audit_log -> shop.audit_log: create%s1 row; 1 read partition; no type change
                  shop.customer -> shop.customer: create%s300 rows; 1 read partition; type changes: profile jsonb -> text
                  shop.product -> shop.product: create%s50 rows; 1 read partition; type changes: attributes json -> text
                  shop.purchase -> shop.purchase: create%s2000 rows; 2 read partitions; no type change
                  shop.purchase_line -> shop.purchase_line: create%s6000 rows; 6 read partitions; no type change
                no problem found: the load can run. Nothing was written.
                """.formatted(postgres.jdbcUrl(source), postgres.jdbcUrl(target), triggers, triggers, triggers, triggers, triggers),
                outcome.out());
        assertEquals(before, contents(target));
        assertEquals(0, Sql.count(postgres, target, "SELECT count(*) FROM pg_namespace WHERE nspname IN ('shop', 'fullload_control')"));
        assertFalse(Files.exists(outcome.report()), "--check wrote a report");
    }

    @Test
    void theCheckSaysWhatEachExistingTableWouldGo() {
        String target = postgres.createDatabase("check_existing");
        postgres.execute(target, SampleDatabase.SCHEMA_SQL);
        postgres.execute(target, "INSERT INTO shop.audit_log (table_name) VALUES ('kept')");
        postgres.execute(target, "ALTER TABLE shop.purchase_line ALTER COLUMN quantity TYPE bigint,"
                + " ALTER COLUMN unit_price TYPE numeric(10,0)");
        String before = contents(target);

        TestingJob.Outcome truncate = check(target, "load.target-table-prep-mode=TRUNCATE_BEFORE_LOAD",
                "load.trigger-mode=NONE", "transform.json-as-text=false");

        assertEquals(0, truncate.status(), truncate.out() + truncate.err());
        assertTrue(truncate.out().contains("""
                5 tables (read partitions rounded to 2 cores):
                  shop.audit_log -> shop.audit_log: truncate; triggers NONE; about 1 row; 1 read partition; no type change
                  shop.customer -> shop.customer: truncate; triggers NONE; about 300 rows; 1 read partition; no type change
                  shop.product -> shop.product: truncate; triggers NONE; about 50 rows; 1 read partition; no type change
                  shop.purchase -> shop.purchase: truncate; triggers NONE; about 2000 rows; 1 read partition; no type change
                  shop.purchase_line -> shop.purchase_line: truncate; triggers NONE; about 6000 rows; 1 read partition;\
                 the kept table's types differ (each value is parsed into them): quantity integer -> bigint, unit_price\
                 numeric(12,2) -> numeric(10,0)
                no problem found"""), truncate.out());
        assertEquals(before, contents(target));

        TestingJob.Outcome keep = check(target, "tables.exclude=[\"shop.purchase%\", \"shop.audit_log\"]");

        assertEquals(0, keep.status(), keep.out() + keep.err());
        assertTrue(keep.out().contains("""
                  shop.customer -> shop.customer: keep (rows are added); triggers SESSION_REPLICATION_ROLE; about 300 rows;\
                 1 read partition; no type change
                """), keep.out());
        assertEquals(before, contents(target));
    }

    @Test
    void aBadConfigurationListsEveryProblemAndWritesNothing() {
        String target = postgres.createDatabase("check_bad");
        String writer = "w_" + target;
        String reader = "r_" + target;
        postgres.execute("postgres", "CREATE ROLE " + writer + " LOGIN PASSWORD '" + PASSWORD + "';"
                + " CREATE ROLE " + reader + " LOGIN PASSWORD '" + PASSWORD + "'");
        postgres.execute(source, "GRANT USAGE ON SCHEMA shop TO " + reader + "; GRANT SELECT ON ALL TABLES IN SCHEMA shop TO "
                + reader + "; REVOKE SELECT ON shop.audit_log FROM " + reader);
        // A view where a table would go.
        postgres.execute(target, "CREATE SCHEMA shop; CREATE VIEW shop.product AS SELECT 1 AS product_id");
        String before = contents(target);

        TestingJob.Outcome outcome = check(target, "source.user=" + reader, "source.password=" + PASSWORD,
                "target.user=" + writer, "target.password=" + PASSWORD);

        assertEquals(3, outcome.status(), outcome.out() + outcome.err());
        assertTrue(outcome.out().endsWith("""
                5 problems found; the load would stop before writing anything (exit status 3). Nothing was written.
                  - the source user %1$s may not read table shop.audit_log (no SELECT privilege on it, nor on each of its\
                 columns): run GRANT SELECT ON TABLE "shop"."audit_log" TO "%1$s" (or, on PostgreSQL 14 and later, GRANT pg_read_all_data TO "%1$s")
                  - the target user %2$s may not set session_replication_role (ERROR: permission denied to set parameter\
                 "session_replication_role"), which load.trigger-mode = SESSION_REPLICATION_ROLE needs: a superuser can run\
                 GRANT SET ON PARAMETER session_replication_role TO "%2$s". On managed services that refuse it (Amazon RDS\
                 and Aurora, for instance), set it in the service's parameter group, or use load.trigger-mode =\
                 DISABLE_TRIGGERS (table owner) or NONE (triggers fire, parents load first)
                  - the target already has shop.product and it is not a table (relkind v): rename or drop it, or exclude the table
                  - the target user %2$s may not create schemas in the target database %3$s, and the run creates schema\
                 fullload_control (control.schema): run GRANT CREATE ON DATABASE "%3$s" TO "%2$s"
                  - the target user %2$s lacks USAGE and CREATE on schema shop, where the run creates table shop.audit_log,\
                 table shop.customer, table shop.product, table shop.purchase, table shop.purchase_line, type\
                 shop.order_status: run GRANT\
                 USAGE, CREATE ON SCHEMA "shop" TO "%2$s"
                """.formatted(reader, writer, target)), outcome.out());
        assertTrue(outcome.out().contains("5 tables (read partitions rounded to 2 cores):"), outcome.out());
        assertEquals(before, contents(target));
        assertFalse(Files.exists(outcome.report()), "--check wrote a report");
    }

    @Test
    void anUnreachableTargetIsAProblemAndTheSourceIsStillPlanned() {
        TestingJob.Outcome outcome = check("check_nowhere", "target.url=jdbc:postgresql://127.0.0.1:1/nowhere");

        assertEquals(3, outcome.status(), outcome.out() + outcome.err());
        assertTrue(outcome.out().contains("  shop.customer -> shop.customer: unknown (the target was not inspected);"
                + " triggers SESSION_REPLICATION_ROLE; about 300 rows; 1 read partition; type changes: profile jsonb -> text\n"),
                outcome.out());
        assertTrue(outcome.out().contains("""
                1 problem found; the load would stop before writing anything (exit status 3). Nothing was written.
                  - cannot reach the target server at 127.0.0.1:1 (Connection to 127.0.0.1:1 refused."""), outcome.out());
    }

    @Test
    void aCheckStartsNoSpark() throws IOException {
        String target = postgres.createDatabase("check_nospark");
        Path events = Files.createDirectories(directory.resolve("events"));
        Path settings = TestingJob.settingsFile(directory, postgres, source, target, "fullload.tables.include = [\"shop.%\"]");

        JobProcess.Result result = JobProcess.run(directory, Map.of(), Map.of("spark.eventLog.enabled", "true",
                "spark.eventLog.dir", events.toUri().toString()), List.of("--config", settings.toString(), "--check"));

        assertEquals(0, result.status(), result.output());
        assertTrue(result.out().contains("no problem found: the load can run. Nothing was written."), result.output());
        assertFalse(result.err().contains("Running Spark version"), result.err());
        try (var files = Files.list(events)) {
            assertEquals(List.of(), files.toList(), "Spark started and logged events");
        }
        assertFalse(Files.exists(directory.resolve("report.json")), "--check wrote a report");
    }

    private TestingJob.Outcome check(String target, String... overrides) {
        Path settings = TestingJob.settingsFile(directory, postgres, source, target, "fullload.tables.include = [\"shop.%\"]");
        String[] arguments = new String[overrides.length * 2 + 1];
        arguments[0] = "--check";
        for (int i = 0; i < overrides.length; i++) {
            arguments[1 + 2 * i] = "--set";
            arguments[2 + 2 * i] = overrides[i];
        }
        return TestingJob.runArguments(settings, arguments);
    }

    /** Every schema and relation, and every table's rows: what a check must leave as it was. */
    private static String contents(String database) {
        List<String> lines = new java.util.ArrayList<>(Sql.column(postgres, database, """
                SELECT n.nspname || '.' || coalesce(c.relname, '') || ' ' || coalesce(c.relkind::text, '') || ' ' || coalesce(c.oid::text, '')
                FROM pg_namespace n LEFT JOIN pg_class c ON c.relnamespace = n.oid
                WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema' ORDER BY 1"""));
        for (String table : Sql.column(postgres, database, """
                SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables
                WHERE schemaname NOT LIKE 'pg\\_%' AND schemaname <> 'information_schema' ORDER BY 1""")) {
            lines.add(table + " " + Sql.checksum(postgres, database, table));
        }
        return String.join("\n", lines);
    }
}
