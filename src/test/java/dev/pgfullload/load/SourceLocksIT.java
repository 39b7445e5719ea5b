package dev.pgfullload.load;

import dev.pgfullload.testing.ReportFile;
import dev.pgfullload.testing.Sql;
import dev.pgfullload.testing.TestingJob;
import dev.pgfullload.testing.TestingPostgreSQL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Source tables another session locks: a lock on a table the load skips does not hold it up, and a
 * lock it would have to wait for without end ({@code source.lock-timeout}) stops the run, or the
 * table, with a message that names the session.
 */
class SourceLocksIT {

    private final TestingPostgreSQL postgres = TestingPostgreSQL.shared();

    @TempDir
    Path directory;

    @Test
    void aTableLockedExclusivelyStopsOnlyTheRunsThatSelectIt() throws Exception {
        String source = postgres.createDatabase("src");
        String target = postgres.createDatabase("dst");
        postgres.execute(source, "CREATE SCHEMA lk; CREATE TABLE lk.free (id integer PRIMARY KEY, v text NOT NULL);"
                + " INSERT INTO lk.free SELECT g, 'v' || g FROM generate_series(1, 500) g;"
                // What describing a table reads locks it: a default, a check, an expression index.
                + " CREATE TABLE lk.held (id serial PRIMARY KEY, code text NOT NULL DEFAULT 'x' CHECK (code <> ''));"
                + " CREATE INDEX held_lower ON lk.held (lower(code)); INSERT INTO lk.held DEFAULT VALUES");
        try (Connection holder = postgres.connect(source); Statement statement = holder.createStatement()) {
            int pid = pid(holder);
            holder.setAutoCommit(false);
            statement.execute("LOCK TABLE lk.held IN ACCESS EXCLUSIVE MODE");

            // lk.held is not selected: discovery no longer measures it, so its lock is not in the way.
            Path onlyFree = TestingJob.settingsFile(directory, postgres, source, target,
                    "fullload.tables { \"include\" = [\"lk.free\"] }");
            TestingJob.Outcome loaded = TestingJob.run(onlyFree, "load.target-table-prep-mode=DROP_AND_CREATE",
                    "source.lock-timeout=1s");
            assertEquals(0, loaded.status(), loaded.out() + loaded.err());
            assertEquals(500, Sql.count(postgres, target, "SELECT count(*) FROM lk.free"));

            // Selected, it stops the run before the target changes, naming the session that holds it.
            postgres.execute(target, "INSERT INTO lk.free VALUES (1000, 'kept')");
            Path both = TestingJob.settingsFile(directory, postgres, source, target, "fullload.tables { \"include\" = [\"lk.%\"] }");
            long started = System.nanoTime();
            TestingJob.Outcome refused = TestingJob.run(both, "load.target-table-prep-mode=DROP_AND_CREATE",
                    "source.lock-timeout=1s");
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            assertEquals(3, refused.status(), refused.out() + refused.err());
            List<String> problems = new ArrayList<>();
            ReportFile.read(refused.report()).root().path("problems").forEach(problem -> problems.add(problem.asText()));
            assertEquals(List.of("reading the source's catalog waited source.lock-timeout (1 s) for a lock on a source table"
                    + " and gave up; exclusive locks on the source: lk.held: held by pid " + pid + " (PostgreSQL JDBC Driver,"
                    + " idle in transaction: LOCK TABLE lk.held IN ACCESS EXCLUSIVE MODE): let that statement end (or end its"
                    + " session), then run the load again; source.lock-timeout sets how long to wait"), problems);
            assertTrue(seconds < 60, "the run waited " + seconds + " s");
            assertEquals(501, Sql.count(postgres, target, "SELECT count(*) FROM lk.free"), "the target was not prepared");
            holder.rollback();
        }
    }

    /**
     * A small lq.small is one partition, planned from the catalog alone, and its reader meets the lock; a
     * bigger one is split, and measuring it meets the lock first, in the planner.
     */
    @ParameterizedTest
    @CsvSource({"100, 25000, reader", "5000, 2500, planner"})
    void aTableThatAnAlterTableWaitsOnAfterTheLoadBeganFailsAloneInsteadOfHangingTheLoad(int smallRows, int rowsPerPartition,
                                                                                        String waiting) throws Exception {
        String source = postgres.createDatabase("src");
        String target = postgres.createDatabase("dst");
        LoadInFlight.createBigAndSmall(postgres, source, "lq", smallRows);
        Path settings = TestingJob.settingsFile(directory, postgres, source, target, "fullload.tables { \"include\" = [\"lq.%\"] }");
        // One table at a time, largest first: lq.small is planned and read after lq.big.
        CompletableFuture<TestingJob.Outcome> load = LoadInFlight.startAndAwaitSnapshot(postgres, source, settings,
                "load.target-table-prep-mode=DROP_AND_CREATE", "load.max-full-load-subtasks=1",
                "load.rows-per-partition=" + rowsPerPartition, "source.lock-timeout=1s");
        LoadInFlight.awaitPrepared(postgres, target, "lq.small");

        // An ALTER TABLE waits for the snapshot's lock on lq.small, and every new lock on lq.small waits behind it.
        try (Connection alterer = postgres.connect(source)) {
            int pid = pid(alterer);
            CompletableFuture<Void> alter = CompletableFuture.runAsync(() -> {
                try (Statement statement = alterer.createStatement()) {
                    statement.execute("ALTER TABLE lq.small ADD COLUMN added integer");
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> Sql.count(postgres, source, "SELECT count(*) FROM pg_stat_activity"
                    + " WHERE pid = " + pid + " AND wait_event_type = 'Lock'") == 1);
            assertEquals(0, Sql.count(postgres, target, "SELECT count(*) FROM lq.small"), "the load was still on lq.big");

            TestingJob.Outcome outcome = load.get(180, TimeUnit.SECONDS);
            assertEquals(4, outcome.status(), outcome.out() + outcome.err());
            ReportFile report = ReportFile.read(outcome.report());
            assertEquals("loaded", report.table("lq.big").get("state").asText());
            assertEquals(200000, Sql.count(postgres, target, "SELECT count(*) FROM lq.big"));
            String error = report.table("lq.small").get("error").asText();
            assertEquals("failed", report.table("lq.small").get("state").asText(), error);
            if (waiting.equals("reader")) {
                assertEquals("cannot start reading partition 0 from the source: it waited longer than source.lock-timeout for"
                        + " its lock on the table (ERROR: canceling statement due to lock timeout): another session holds the"
                        + " table exclusively, or waits to (an ALTER TABLE, a TRUNCATE, a VACUUM FULL wait for the load's own"
                        + " lock, and every new reader waits behind them); let that statement end, or run it after the load,"
                        + " then run the load again with the same run id to resume it; exclusive locks on the source: lq.small:"
                        + " waited for by pid " + pid + " (PostgreSQL JDBC Driver, active: ALTER TABLE lq.small ADD COLUMN added"
                        + " integer)", error);
            } else {
                assertEquals("cannot plan the read of lq.small: the planner waited source.lock-timeout (1 s) for a lock on a"
                        + " source table and gave up; exclusive locks on the source: lq.small: waited for by pid " + pid
                        + " (PostgreSQL JDBC Driver, active: ALTER TABLE lq.small ADD COLUMN added integer); once that statement"
                        + " has ended, run the load again with the same run id to resume it", error);
            }
            // The ALTER TABLE ran once the load had let its snapshot go.
            alter.get(60, TimeUnit.SECONDS);
            assertEquals(1, Sql.count(postgres, source, "SELECT count(*) FROM information_schema.columns"
                    + " WHERE table_schema = 'lq' AND table_name = 'small' AND column_name = 'added'"));
        }
    }

    @Test
    void aSnapshotWhoseSessionEndsMidLoadFailsTheReadsThatComeAfterWithAMessageThatSaysSo() throws Exception {
        String source = postgres.createDatabase("src");
        String target = postgres.createDatabase("dst");
        LoadInFlight.createBigAndSmall(postgres, source, "le", 100);
        Path settings = TestingJob.settingsFile(directory, postgres, source, target, "fullload.tables { \"include\" = [\"le.%\"] }");
        CompletableFuture<TestingJob.Outcome> load = LoadInFlight.startAndAwaitSnapshot(postgres, source, settings,
                "load.target-table-prep-mode=DROP_AND_CREATE", "load.max-full-load-subtasks=1");
        LoadInFlight.awaitPrepared(postgres, target, "le.small");
        // The snapshot's session ends (a restart, a kill, a network idle timeout), and its snapshot with it.
        assertEquals(1, Sql.count(postgres, source, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                + " WHERE application_name LIKE 'pg-fullload % snapshot'"));
        assertEquals(0, Sql.count(postgres, target, "SELECT count(*) FROM le.small"), "the load was still on le.big");

        TestingJob.Outcome outcome = load.get(180, TimeUnit.SECONDS);
        assertEquals(4, outcome.status(), outcome.out() + outcome.err());
        String error = ReportFile.read(outcome.report()).table("le.small").get("error").asText();
        assertTrue(error.matches("cannot start reading partition 0 from the source: the load's snapshot of the source has"
                + " ended [(]ERROR: snapshot \"[0-9A-F-]+\" does not exist[)]: the session that held it was closed [(]a restart"
                + " of the source, pg_terminate_backend, a network idle timeout[)]; run the load again with the same run id"
                + " to resume it"), error);
        assertEquals(0, Sql.count(postgres, target, "SELECT count(*) FROM le.small"));
    }

    private static int pid(Connection connection) throws Exception {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT pg_backend_pid()")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
