package dev.pgfullload.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pgfullload.testing.ReportFile;
import dev.pgfullload.testing.Sql;
import dev.pgfullload.testing.TestingJob;
import dev.pgfullload.testing.TestingPostgreSQL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A run id run again, as a scheduler's retry does: the retry is judged as the first attempt was, a
 * finished run is not run again, settings that decide the outcome cannot change under a run, and the
 * report says what this attempt did and what earlier attempts committed.
 */
class RerunsIT {

    private final TestingPostgreSQL postgres = TestingPostgreSQL.shared();

    @TempDir
    Path directory;

    /** {@code t.a}: 5001 rows, of which 1001 (qty 4000 to 5000) break the target's CHECK (qty < 4000); {@code t.b}: 1000 rows. */
    private String[] databases(String prefix) {
        String source = postgres.createDatabase(prefix + "_src");
        String target = postgres.createDatabase(prefix + "_dst");
        String schema = """
                CREATE SCHEMA t;
                CREATE TABLE t.a (id bigint PRIMARY KEY, qty integer NOT NULL);
                CREATE TABLE t.b (id bigint PRIMARY KEY, v text NOT NULL);
                """;
        postgres.execute(source, schema + """
                INSERT INTO t.a SELECT g, g - 1 FROM generate_series(1, 5001) g;
                INSERT INTO t.b SELECT g, 'row ' || g FROM generate_series(1, 1000) g;
                ANALYZE;
                """);
        postgres.execute(target, schema + "ALTER TABLE t.a ADD CONSTRAINT small_qty CHECK (qty < 4000);");
        return new String[] {source, target};
    }

    @Test
    void aRetryWithTheSameRunIdFailsATableOverTheRejectedRowsLimitAgain() {
        String[] db = databases("rr_limit");
        Path settings = TestingJob.settingsFile(directory, postgres, db[0], db[1], "fullload.tables.include = [\"t.a\"]");
        String[] arguments = {"--set", "errors.data-error-policy=LOG_ERROR", "--set", "errors.max-rejected-rows=100",
                "--run-id", "limit-1"};
        String expected = "the target refused 1001 rows, more than errors.max-rejected-rows (100); they are in"
                + " \"fullload_control\".\"rejects\"";

        TestingJob.Outcome first = TestingJob.runArguments(settings, arguments);
        assertEquals(4, first.status(), first.out() + first.err());
        JsonNode failed = ReportFile.read(first.report()).table("t.a");
        assertEquals(expected, failed.get("error").asText());
        // The committed rows are reported, not zeros: 4000 rows are in the target.
        assertEquals(4000, failed.get("rowsWritten").asLong(), failed.toString());
        assertEquals(5001, failed.get("rowsRead").asLong(), failed.toString());
        assertThat(failed.get("partitions").asInt()).isPositive();
        assertEquals(0, failed.get("rowsCommittedBefore").asLong(), failed.toString());

        TestingJob.Outcome second = TestingJob.runArguments(settings, arguments);
        assertEquals(4, second.status(), second.out() + second.err());
        ReportFile report = ReportFile.read(second.report());
        JsonNode again = report.table("t.a");
        assertEquals("failed", again.get("state").asText());
        assertEquals(expected, again.get("error").asText());
        // This attempt wrote nothing; the earlier one committed the 4000 rows.
        assertEquals(0, again.get("rowsWritten").asLong(), again.toString());
        assertEquals(4000, again.get("rowsCommittedBefore").asLong(), again.toString());
        assertEquals(failed.get("partitions").asInt(), again.get("partitionsCommittedBefore").asInt(), again.toString());
        assertEquals(0, again.get("partitions").asInt(), again.toString());
        assertEquals("failed", Sql.scalar(postgres, db[1], "SELECT state FROM fullload_control.runs WHERE run_id = 'limit-1'"));
        assertEquals(4000, Sql.count(postgres, db[1], "SELECT count(*) FROM t.a"));
    }

    @Test
    void aRunIdThatSucceededIsRefusedAndNothingIsLoadedOrReportedAsLoaded() {
        String[] db = databases("rr_done");
        Path settings = TestingJob.settingsFile(directory, postgres, db[0], db[1], "fullload.tables.include = [\"t.b\"]");
        TestingJob.Outcome first = TestingJob.runArguments(settings, "--run-id", "done-1");
        assertEquals(0, first.status(), first.out() + first.err());
        String endedAt = Sql.scalar(postgres, db[1], "SELECT to_char(ended_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS')"
                + " FROM fullload_control.runs WHERE run_id = 'done-1'");
        postgres.execute(db[1], "TRUNCATE t.b");

        TestingJob.Outcome again = TestingJob.runArguments(settings, "--run-id", "done-1");
        assertEquals(3, again.status(), again.out() + again.err());
        ReportFile report = ReportFile.read(again.report());
        assertThat(report.error()).startsWith("run done-1 succeeded at " + endedAt)
                .endsWith(": a run id loads once; to load again, pass a new --run-id");
        assertEquals(List.of(), List.copyOf(report.tables().keySet()));
        assertEquals(0, Sql.count(postgres, db[1], "SELECT count(*) FROM t.b"));

        TestingJob.Outcome check = TestingJob.runArguments(settings, "--run-id", "done-1", "--check");
        assertEquals(3, check.status(), check.out() + check.err());
        assertThat(check.out()).contains("run done-1 succeeded at " + endedAt);
    }

    @Test
    void aResumeWithSettingsThatDecideTheOutcomeChangedIsRefusedNamingThem() {
        String[] db = databases("rr_changed");
        // t.a fails (refused rows under STOP_TASK), t.b loads: the run is left failed, to be resumed.
        Path settings = TestingJob.settingsFile(directory, postgres, db[0], db[1], "fullload.tables.include = [\"t.%\"]");
        TestingJob.Outcome first = TestingJob.runArguments(settings, "--run-id", "changed-1");
        assertEquals(4, first.status(), first.out() + first.err());

        TestingJob.Outcome changed = TestingJob.runArguments(settings, "--run-id", "changed-1", "--set", "tables.include=[\"t.b\"]",
                "--set", "load.target-table-prep-mode=TRUNCATE_BEFORE_LOAD");
        assertEquals(3, changed.status(), changed.out() + changed.err());
        assertEquals("run changed-1 was started with other settings, and resuming it with these would mix two loads:"
                        + " fullload.load.target-table-prep-mode (DO_NOTHING, now TRUNCATE_BEFORE_LOAD),"
                        + " fullload.tables.include ([\"t.%\"], now [\"t.b\"]); run it again with the settings it started with,"
                        + " or pass a new --run-id to start a new load",
                ReportFile.read(changed.report()).error());
        assertEquals("failed", Sql.scalar(postgres, db[1], "SELECT state FROM fullload_control.runs WHERE run_id = 'changed-1'"));
        assertEquals(1000, Sql.count(postgres, db[1], "SELECT count(*) FROM t.b"));

        // The same settings resume it: t.b is not loaded again, and is reported as committed by the earlier attempt.
        TestingJob.Outcome resumed = TestingJob.runArguments(settings, "--run-id", "changed-1");
        assertEquals(4, resumed.status(), resumed.out() + resumed.err());
        ReportFile report = ReportFile.read(resumed.report());
        JsonNode b = report.table("t.b");
        assertEquals("loaded", b.get("state").asText());
        assertEquals(0, b.get("rowsWritten").asLong(), b.toString());
        assertEquals(1000, b.get("rowsCommittedBefore").asLong(), b.toString());
        assertThat(report.root().get("preparation").toString()).contains("resumed run changed-1 (its last attempt failed)");
    }
}
