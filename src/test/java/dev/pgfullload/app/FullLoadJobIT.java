package dev.pgfullload.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pgfullload.config.PrepMode;
import dev.pgfullload.testing.ReportFile;
import dev.pgfullload.testing.SampleDatabase;
import dev.pgfullload.testing.Sql;
import dev.pgfullload.testing.TestingJob;
import dev.pgfullload.testing.TestingPostgreSQL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The job as a scheduler runs it: a settings file in, an exit status, the target and the JSON report out. */
class FullLoadJobIT {

    private static final TestingPostgreSQL postgres = TestingPostgreSQL.shared();

    private static String source;
    private static List<String> sourceTables;

    @TempDir
    Path directory;

    @BeforeAll
    static void createSource() {
        source = postgres.createDatabase("job_src");
        SampleDatabase.create(postgres, source);
        sourceTables = Sql.column(postgres, source, "SELECT schemaname || '.' || tablename FROM pg_tables WHERE schemaname = 'shop' ORDER BY 1");
    }

    @Test
    void badSettingsAreAllListedAndNothingStarts() throws Exception {
        Path report = directory.resolve("never-written.json");
        Path settings = directory.resolve("bad.conf");
        Files.writeString(settings, """
                fullload {
                  source { user = "migrator" }
                  target { url = "%s" }
                  load {
                    target-table-prep-mode = TRUNCATE_EVERYTHING
                    max-full-load-subtask = 4
                  }
                  report.path = "%s"
                }
                """.formatted(postgres.jdbcUrl("postgres"), report.toString().replace("\\", "/")));

        TestingJob.Outcome outcome = TestingJob.run(settings);

        assertEquals(2, outcome.status(), outcome.out() + outcome.err());
        String err = outcome.err();
        assertTrue(err.contains("the settings have 3 problems:"), err);
        assertTrue(err.contains("  - fullload.load.max-full-load-subtask: unknown setting (got 4); did you mean fullload.load.max-full-load-subtasks?"), err);
        assertTrue(err.contains("  - fullload.load.target-table-prep-mode: expected one of DO_NOTHING, DROP_AND_CREATE,"
                + " TRUNCATE_BEFORE_LOAD (got TRUNCATE_EVERYTHING)"), err);
        assertTrue(err.contains("  - fullload.source.url: required, no value given"), err);
        assertFalse(Files.exists(report), "a report was written");
        assertEquals("", outcome.out());
    }

    /** A report that could not be written would leave a scheduler without it: found before anything starts, exit 2. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void anUnwritableReportPathIsRefusedBeforeTheLoad(boolean check) {
        String target = postgres.createDatabase("job_report");
        Path settings = TestingJob.settingsFile(directory, postgres, source, target, "fullload.tables.include = [\"shop.%\"]");
        TestingJob.Outcome outcome = check ? TestingJob.runArguments(settings, "--set", "report.path=/proc/x.json", "--check")
                : TestingJob.run(settings, "report.path=/proc/x.json");
        assertEquals(2, outcome.status(), outcome.out() + outcome.err());
        assertTrue(outcome.err().contains("fullload.report.path: the report cannot be written to /proc/x.json"), outcome.err());
        assertEquals(0, Sql.count(postgres, target, "SELECT count(*) FROM pg_namespace WHERE nspname IN ('shop', 'fullload_control')"));
    }

    /**
     * Sessions are kept between a run's steps, but none outlives the run: a caller that runs the job
     * in its own JVM (a scheduler, a test) can drop either database right after.
     */
    @Test
    void noDatabaseSessionOutlivesTheRun() {
        String target = postgres.createDatabase("job_sessions");

        TestingJob.Outcome outcome = TestingJob.run(TestingJob.settingsFile(directory, postgres, source, target,
                "fullload.tables.include = [\"shop.%\"]"), "load.target-table-prep-mode=DROP_AND_CREATE", "load.rows-per-partition=500");

        assertEquals(0, outcome.status(), outcome.out() + outcome.err());
        String sessions = "SELECT count(*) FROM pg_stat_activity WHERE datname IN ('" + source + "', '" + target + "')"
                + " AND application_name LIKE 'pg-fullload%'";
        // A server process ends a moment after its client closes the session.
        await("sessions still open after the run").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> Sql.count(postgres, "postgres", sessions) == 0);
        postgres.execute("postgres", "DROP DATABASE " + target);
    }

    @ParameterizedTest
    @EnumSource(PrepMode.class)
    void theSampleDatabaseLoadsExactlyIntoAFreshTarget(PrepMode prepMode) {
        String target = postgres.createDatabase("job_" + prepMode.name().toLowerCase(java.util.Locale.ROOT));

        TestingJob.Outcome outcome = TestingJob.run(TestingJob.settingsFile(directory, postgres, source, target,
                "fullload.tables.include = [\"shop.%\"]"), "load.target-table-prep-mode=" + prepMode);

        assertEquals(0, outcome.status(), outcome.out() + outcome.err());
        assertEquals(List.of("shop.audit_log", "shop.customer", "shop.product", "shop.purchase", "shop.purchase_line"), sourceTables);
        for (String table : sourceTables) {
            assertEquals(Sql.checksum(postgres, source, table), Sql.checksum(postgres, target, table), table);
        }
        ReportFile report = ReportFile.read(outcome.report());
        assertTrue(report.succeeded(), report.toString());
        Map<String, JsonNode> tables = report.tables();
        assertEquals(sourceTables, tables.keySet().stream().sorted().toList(), report.toString());
        long totalRows = 0;
        for (String table : sourceTables) {
            JsonNode entry = tables.get(table);
            assertEquals(table, entry.path("source").asText());
            assertEquals("loaded", entry.path("state").asText(), table);
            long rows = Sql.count(postgres, source, "SELECT count(*) FROM " + table);
            assertEquals(rows, entry.path("rowsWritten").asLong(), table);
            assertEquals(rows, entry.path("rowsRead").asLong(), table);
            assertTrue(entry.path("error").isNull(), table);
            totalRows += rows;
        }
        assertEquals(sourceTables.size(), report.root().path("totals").path("loaded").asInt());
        assertEquals(totalRows, report.root().path("totals").path("rowsWritten").asLong());
    }
}
