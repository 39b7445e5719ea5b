package dev.pgfullload.load;

import dev.pgfullload.testing.ReportFile;
import dev.pgfullload.testing.SampleDatabase;
import dev.pgfullload.testing.Sql;
import dev.pgfullload.testing.TestingJob;
import dev.pgfullload.testing.TestingPostgreSQL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Rows the target refuses: isolated from their batch, kept with the server's message, or stopping the table, named. */
class DataErrorsIT {

    private final TestingPostgreSQL postgres = TestingPostgreSQL.shared();

    @TempDir
    Path directory;

    /** A target whose product table refuses prices of 40 and more: products 32 to 50 (price = id * 1.25). */
    private String[] databases() {
        String source = postgres.createDatabase("err_src");
        String target = postgres.createDatabase("err_dst");
        SampleDatabase.create(postgres, source);
        postgres.execute(target, SampleDatabase.SCHEMA_SQL);
        postgres.execute(target, "ALTER TABLE shop.product ADD CONSTRAINT cheap CHECK (price < 40)");
        return new String[] {source, target};
    }

    @Test
    void logErrorKeepsEachRefusedRowWithTheServersMessageAndLoadsTheRest() {
        String[] db = databases();
        TestingJob.Outcome outcome = TestingJob.run(TestingJob.settingsFile(directory, postgres, db[0], db[1],
                "fullload.tables { \"include\" = [\"shop.product\"] }"), "errors.data-error-policy=LOG_ERROR",
                "load.rows-per-partition=10");
        assertEquals(0, outcome.status(), outcome.out() + outcome.err());
        assertEquals(31, Sql.count(postgres, db[1], "SELECT count(*) FROM shop.product"));
        assertEquals(Sql.column(postgres, db[0], "SELECT p::text FROM shop.product p WHERE product_id < 32 ORDER BY product_id"),
                Sql.column(postgres, db[1], "SELECT p::text FROM shop.product p ORDER BY product_id"));
        List<String> rejected = Sql.column(postgres, db[1],
                "SELECT split_part(row_text, E'\\t', 1) FROM fullload_control.rejects WHERE target_table = 'shop.product' ORDER BY split_part(row_text, E'\\t', 1)::int");
        assertEquals(19, rejected.size());
        assertEquals("32", rejected.get(0));
        assertEquals(List.of("ERROR: new row for relation \"product\" violates check constraint \"cheap\""), Sql.column(postgres, db[1],
                "SELECT DISTINCT split_part(message, E'\\n', 1) FROM fullload_control.rejects"));
        ReportFile report = ReportFile.read(outcome.report());
        assertThat(report.table("shop.product").get("note").asText())
                .startsWith("19 rows refused by the target, kept in \"fullload_control\".\"rejects\"")
                .contains("row count checked (31 loaded + 19 refused = 50)");
    }

    @Test
    void stopTaskFailsTheTableNamingTheRowAndTheServersMessage() {
        String[] db = databases();
        TestingJob.Outcome outcome = TestingJob.run(TestingJob.settingsFile(directory, postgres, db[0], db[1],
                "fullload.tables { \"include\" = [\"shop.product\"] }"));
        assertEquals(4, outcome.status(), outcome.out() + outcome.err());
        String error = ReportFile.read(outcome.report()).table("shop.product").get("error").asText();
        assertThat(error).startsWith("the target refused a row of partition 0: ERROR: new row for relation \"product\" violates"
                + " check constraint \"cheap\"").contains("; the row: 32\tProduct 32\t40.00\t");
        assertEquals(0, Sql.count(postgres, db[1], "SELECT count(*) FROM fullload_control.rejects"));
    }

    @Test
    void tableErrorPolicyStopTaskStartsNoNewTableAfterAFailure() {
        String[] db = databases();
        // One table at a time, largest first: customer (300 rows) fails, so product and the rest never start.
        postgres.execute(db[1], "ALTER TABLE shop.customer ADD CONSTRAINT short_names CHECK (length(name) < 5)");
        TestingJob.Outcome outcome = TestingJob.run(TestingJob.settingsFile(directory, postgres, db[0], db[1],
                "fullload.tables { \"include\" = [\"shop.customer\", \"shop.product\"] }"), "errors.table-error-policy=STOP_TASK",
                "load.max-full-load-subtasks=1");
        assertEquals(4, outcome.status(), outcome.out() + outcome.err());
        ReportFile report = ReportFile.read(outcome.report());
        assertEquals("failed", report.table("shop.customer").get("state").asText());
        assertEquals("skipped", report.table("shop.product").get("state").asText());
        assertEquals("not started: another table failed and errors.table-error-policy is STOP_TASK",
                report.table("shop.product").get("error").asText());
        assertEquals(0, Sql.count(postgres, db[1], "SELECT count(*) FROM shop.product"));
        assertEquals(List.of("FAILED"), Sql.column(postgres, db[1],
                "SELECT state FROM fullload_control.tables WHERE target_table = 'shop.customer'"));
    }

    @Test
    void tableErrorPolicySuspendTableLetsTheOtherTablesLoad() {
        String[] db = databases();
        postgres.execute(db[1], "ALTER TABLE shop.customer ADD CONSTRAINT short_names CHECK (length(name) < 5)");
        TestingJob.Outcome outcome = TestingJob.run(TestingJob.settingsFile(directory, postgres, db[0], db[1],
                "fullload.tables { \"include\" = [\"shop.customer\", \"shop.purchase\"] }"), "load.max-full-load-subtasks=1");
        assertEquals(4, outcome.status(), outcome.out() + outcome.err());
        ReportFile report = ReportFile.read(outcome.report());
        assertEquals("failed", report.table("shop.customer").get("state").asText());
        assertEquals("loaded", report.table("shop.purchase").get("state").asText());
        assertEquals(2000, Sql.count(postgres, db[1], "SELECT count(*) FROM shop.purchase"));
        assertEquals(List.of("SUSPENDED"), Sql.column(postgres, db[1],
                "SELECT state FROM fullload_control.tables WHERE target_table = 'shop.customer'"));
    }

    @Test
    void tooManyRefusedRowsFailTheTable() {
        String[] db = databases();
        TestingJob.Outcome outcome = TestingJob.run(TestingJob.settingsFile(directory, postgres, db[0], db[1],
                "fullload.tables { \"include\" = [\"shop.product\"] }"), "errors.data-error-policy=LOG_ERROR",
                "errors.max-rejected-rows=5");
        assertEquals(4, outcome.status(), outcome.out() + outcome.err());
        assertEquals("the target refused 19 rows, more than errors.max-rejected-rows (5); they are in \"fullload_control\".\"rejects\"",
                ReportFile.read(outcome.report()).table("shop.product").get("error").asText());
    }
}
