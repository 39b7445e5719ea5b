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
import static org.junit.jupiter.api.Assertions.assertFalse;
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
     * bigger one is split, and measuring it meets the lock first, in the planner. Read with Spark's JDBC
     * source, the driver's question for the query's columns meets it first.
     */
    @ParameterizedTest
    @CsvSource({"100, 25000, reader", "5000, 2500, planner", "100, 25000, jdbc"})
    void aTableThatAnAlterTableWaitsOnAfterTheLoadBeganFailsAloneInsteadOfHangingTheLoad(int smallRows, int rowsPerPartition,
                                                                                        String waiting) throws Exception {
        String source = postgres.createDatabase("src");
        String target = postgres.createDatabase("dst");
        LoadInFlight.createBigAndSmall(postgres, source, "lq", smallRows);
        Path settings = TestingJob.settingsFile(directory, postgres, source, target, "fullload.tables { \"include\" = [\"lq.%\"] }");
        // One table at a time, largest first: lq.small is planned and read after lq.big.
        CompletableFuture<TestingJob.Outcome> load = LoadInFlight.startAndAwaitSnapshot(postgres, source, settings,
                "load.target-table-prep-mode=DROP_AND_CREATE", "load.max-full-load-subtasks=1",
                "load.rows-per-partition=" + rowsPerPartition, "source.lock-timeout=1s",
                "source.read-method=" + (waiting.equals("jdbc") ? "JDBC" : "COPY"));
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
            } else if (waiting.equals("jdbc")) {
                assertEquals("cannot read lq.small from the source: it waited longer than source.lock-timeout for its lock on"
                        + " the table (ERROR: canceling statement due to lock timeout): another session holds the table"
                        + " exclusively, or waits to (an ALTER TABLE, a TRUNCATE, a VACUUM FULL wait for the load's own lock, and"
                        + " every new reader waits behind them); let that statement end, or run it after the load, then run the"
                        + " load again with the same run id to resume it; exclusive locks on the source: lq.small: waited for by"
                        + " pid " + pid + " (PostgreSQL JDBC Driver, active: ALTER TABLE lq.small ADD COLUMN added integer)", error);
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

    @ParameterizedTest
    @CsvSource({"COPY, 'cannot start reading partition 0 from the source'", "JDBC, 'cannot read le.small from the source'"})
    void aSnapshotWhoseSessionEndsMidLoadFailsTheReadsThatComeAfterWithAMessageThatSaysSo(String readMethod, String start)
            throws Exception {
        String source = postgres.createDatabase("src");
        String target = postgres.createDatabase("dst");
        LoadInFlight.createBigAndSmall(postgres, source, "le", 100);
        Path settings = TestingJob.settingsFile(directory, postgres, source, target, "fullload.tables { \"include\" = [\"le.%\"] }");
        CompletableFuture<TestingJob.Outcome> load = LoadInFlight.startAndAwaitSnapshot(postgres, source, settings,
                "load.target-table-prep-mode=DROP_AND_CREATE", "load.max-full-load-subtasks=1", "source.read-method=" + readMethod);
        LoadInFlight.awaitPrepared(postgres, target, "le.small");
        // The snapshot's session ends (a restart, a kill, a network idle timeout), and its snapshot with it.
        assertEquals(1, Sql.count(postgres, source, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                + " WHERE application_name LIKE 'pg-fullload % snapshot'"));
        assertEquals(0, Sql.count(postgres, target, "SELECT count(*) FROM le.small"), "the load was still on le.big");

        TestingJob.Outcome outcome = load.get(180, TimeUnit.SECONDS);
        assertEquals(4, outcome.status(), outcome.out() + outcome.err());
        String error = ReportFile.read(outcome.report()).table("le.small").get("error").asText();
        assertTrue(error.matches(start + ": the load's snapshot of the source has"
                + " ended [(]ERROR: snapshot \"[0-9A-F-]+\" does not exist[)]: the session that held it was closed [(]a restart"
                + " of the source, pg_terminate_backend, a network idle timeout[)]; run the load again with the same run id"
                + " to resume it"), error);
        assertEquals(0, Sql.count(postgres, target, "SELECT count(*) FROM le.small"));
    }

    /**
     * The source's count for validation runs after the rows, behind an exclusive lock that queued once the
     * table was read: the table fails with a message that says its rows are in, and the same run id
     * validates them once the lock is gone, writing nothing again. The order is made certain on the
     * target: its partition record waits until the source's LOCK TABLE queues.
     */
    @Test
    void aValidationCountThatMeetsALockFailsTheTableAndTheSameRunIdValidatesItAfterwards() throws Exception {
        String source = postgres.createDatabase("src");
        String target = postgres.createDatabase("dst");
        LoadInFlight.createBigAndSmall(postgres, source, "lv", 10);
        Path settings = TestingJob.settingsFile(directory, postgres, source, target, "fullload.tables { \"include\" = [\"lv.big\"] }");
        String[] arguments = {"--set", "load.target-table-prep-mode=DROP_AND_CREATE", "--set", "load.rows-per-partition=1000000",
                "--set", "source.lock-timeout=1s", "--run-id", "lv-validate"};
        try (Connection gate = postgres.connect(target); Statement gateStatement = gate.createStatement();
             Connection locker = postgres.connect(source); Statement lockStatement = locker.createStatement()) {
            CompletableFuture<TestingJob.Outcome> load = CompletableFuture.supplyAsync(() -> TestingJob.runArguments(settings, arguments));
            LoadInFlight.awaitPrepared(postgres, target, "lv.big");
            // The partition's writer may COPY, but its record of the commit (an INSERT) waits for this lock.
            gate.setAutoCommit(false);
            gateStatement.execute("LOCK TABLE fullload_control.partitions IN EXCLUSIVE MODE");
            assertEquals(0, Sql.count(postgres, target, "SELECT count(*) FROM fullload_control.partitions"),
                    "the partition committed before the gate closed");
            await().atMost(Duration.ofSeconds(60)).until(() -> load.isDone() || Sql.count(postgres, target,
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO%partitions%'") == 1);
            assertFalse(load.isDone(), () -> "the load ended before its partition was recorded: " + load.join().out());

            // The rows are read: a LOCK TABLE queues behind the load's snapshot, and the count will queue behind it.
            int pid = pid(locker);
            locker.setAutoCommit(false);
            CompletableFuture<Void> lock = CompletableFuture.runAsync(() -> {
                try {
                    lockStatement.execute("LOCK TABLE lv.big IN ACCESS EXCLUSIVE MODE");
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> Sql.count(postgres, source,
                    "SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid + " AND wait_event_type = 'Lock'") == 1);
            gate.rollback();

            TestingJob.Outcome outcome = load.get(180, TimeUnit.SECONDS);
            assertEquals(4, outcome.status(), outcome.out() + outcome.err());
            ReportFile report = ReportFile.read(outcome.report());
            assertEquals("failed", report.table("lv.big").get("state").asText());
            assertEquals("cannot count the rows of lv.big on the source for validation: the count waited source.lock-timeout"
                    + " (1 s) for a lock on a source table and gave up; exclusive locks on the source: lv.big: waited for by pid "
                    + pid + " (PostgreSQL JDBC Driver, active: LOCK TABLE lv.big IN ACCESS EXCLUSIVE MODE); the rows are loaded:"
                    + " once that statement has ended, run the load again with the same run id to validate them",
                    report.table("lv.big").get("error").asText());
            assertEquals(200000, Sql.count(postgres, target, "SELECT count(*) FROM lv.big"));
            // The load let its snapshot go, and the LOCK TABLE got its lock.
            lock.get(60, TimeUnit.SECONDS);
            locker.rollback();
        }

        TestingJob.Outcome again = TestingJob.runArguments(settings, arguments);
        assertEquals(0, again.status(), again.out() + again.err());
        ReportFile report = ReportFile.read(again.report());
        assertEquals("loaded", report.table("lv.big").get("state").asText());
        assertEquals(0, report.table("lv.big").get("rowsRead").asLong(), "every partition was committed by the first attempt");
        assertEquals("row count matches (200000)", report.table("lv.big").get("note").asText());
        assertEquals(200000, Sql.count(postgres, target, "SELECT count(*) FROM lv.big"));
        assertEquals("VALIDATED", Sql.scalar(postgres, target, "SELECT state FROM fullload_control.tables"
                + " WHERE run_id = 'lv-validate' AND target_table = 'lv.big'"));
    }

    private static int pid(Connection connection) throws Exception {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT pg_backend_pid()")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
