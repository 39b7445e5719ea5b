package dev.pgfullload.load;

import dev.pgfullload.testing.ReportFile;
import dev.pgfullload.testing.Sql;
import dev.pgfullload.testing.TestingJob;
import dev.pgfullload.testing.TestingPostgreSQL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A DISABLE_TRIGGERS load kept in flight (its COPY waits on a gate the test holds: a CHECK constraint
 * that takes a shared advisory lock) while other runs start against the same target: a repair, explicit
 * or a run's own at start-up, leaves its triggers off; a second process with its run id, or a run
 * loading the same table, is refused before it writes anything; a run loading another table goes ahead.
 */
class RunLivenessIT {

    private static final TestingPostgreSQL postgres = TestingPostgreSQL.shared();

    private static final long GATE = 770_001;

    private static final String TABLES = """
            CREATE SCHEMA big;
            CREATE TABLE big.wide (id bigint PRIMARY KEY, note text NOT NULL);
            CREATE TABLE big.other (id bigint PRIMARY KEY, note text NOT NULL);
            """;

    /** In the target: a trigger that rewrites every row it sees, and the gate the load's COPY waits on. */
    private static final String TARGET = TABLES + """
            CREATE FUNCTION big.rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN NEW.note := 'rewritten by the trigger'; RETURN NEW; END $$;
            CREATE TRIGGER wide_rewrite BEFORE INSERT ON big.wide FOR EACH ROW EXECUTE FUNCTION big.rewrite();
            CREATE FUNCTION big.gate() RETURNS boolean LANGUAGE plpgsql AS $$
            BEGIN PERFORM pg_advisory_xact_lock_shared(%d); RETURN true; END $$;
            ALTER TABLE big.wide ADD CONSTRAINT wide_gate CHECK (big.gate());
            """.formatted(GATE);

    private static String source;

    @TempDir
    Path directory;

    @BeforeAll
    static void createSource() {
        source = postgres.createDatabase("live_src");
        postgres.execute(source, TABLES + """
                INSERT INTO big.wide SELECT g, 'note ' || g FROM generate_series(1, 5000) g;
                INSERT INTO big.other SELECT g, 'other ' || g FROM generate_series(1, 300) g;
                ANALYZE;
                """);
    }

    @Test
    void repairLeavesTheTriggersOfARunningLoadOffAndARunOnAnotherTableGoesAhead() throws Exception {
        String target = target("live_repair");
        try (Connection gate = closedGate(target)) {
            CompletableFuture<TestingJob.Outcome> a = startGatedLoad(target, "A");

            Path repairSettings = settings(target, "repair", "big.wide");
            TestingJob.Outcome repair = within(() -> TestingJob.runArguments(repairSettings, "--repair"));

            assertEquals(0, repair.status(), repair.out() + repair.err());
            assertThat(repair.out()).matches("(?s)pg-fullload repair:\n  left the triggers of big\\.wide disabled: run A is"
                    + " still loading it \\(session \\d+ 'pg-fullload A driver' from \\S+, connected at \\S+ holds the"
                    + " run's lock\\)\n");
            assertEquals("D", wideTrigger(target));

            // Another run, on another table: its own repair at start-up leaves big.wide alone too, and it loads.
            Path otherSettings = settings(target, "other", "big.other");
            TestingJob.Outcome other = within(() -> TestingJob.runArguments(otherSettings, "--run-id", "B",
                    "--set", "load.trigger-mode=DISABLE_TRIGGERS"));

            assertEquals(0, other.status(), other.out() + other.err());
            assertThat(ReportFile.read(other.report()).root().path("preparation").toString())
                    .contains("left the triggers of big.wide disabled: run A is still loading it");
            assertEquals(Sql.checksum(postgres, source, "big.other"), Sql.checksum(postgres, target, "big.other"));
            assertEquals("D", wideTrigger(target));
            assertFalse(a.isDone(), "the gated load ended early");

            open(gate);
            TestingJob.Outcome loaded = a.get(2, TimeUnit.MINUTES);
            assertEquals(0, loaded.status(), loaded.out() + loaded.err());
        }
        // No row went through the trigger, and it is on again.
        assertEquals(Sql.checksum(postgres, source, "big.wide"), Sql.checksum(postgres, target, "big.wide"));
        assertEquals("O", wideTrigger(target));
        assertEquals(0, Sql.count(postgres, target, "SELECT count(*) FROM fullload_control.disabled_triggers"));
    }

    @Test
    void aSecondProcessWithTheSameRunIdIsRefusedAndWritesNothing() throws Exception {
        String target = target("live_same_id");
        try (Connection gate = closedGate(target)) {
            CompletableFuture<TestingJob.Outcome> a = startGatedLoad(target, "A");
            String before = controlTables(target);

            Path secondSettings = settings(target, "second", "big.wide");
            TestingJob.Outcome second = within(() -> TestingJob.runArguments(secondSettings, "--run-id", "A",
                    "--set", "load.target-table-prep-mode=TRUNCATE_BEFORE_LOAD", "--set", "load.trigger-mode=DISABLE_TRIGGERS"));

            assertEquals(3, second.status(), second.out() + second.err());
            assertThat(ReportFile.read(second.report()).error()).matches("run A is already running against this target \\(its"
                    + " process holds the run's lock: session \\d+ 'pg-fullload A driver' from \\S+, connected at \\S+\\);"
                    + " wait for it to end, or end that process, before running it again; to load other tables at the same"
                    + " time, give this run another --run-id");
            assertEquals(before, controlTables(target));
            assertEquals("D", wideTrigger(target));

            open(gate);
            TestingJob.Outcome loaded = a.get(2, TimeUnit.MINUTES);
            assertEquals(0, loaded.status(), loaded.out() + loaded.err());
        }
        assertEquals(Sql.checksum(postgres, source, "big.wide"), Sql.checksum(postgres, target, "big.wide"));
        assertEquals(1, Sql.count(postgres, target, "SELECT count(*) FROM pg_constraint WHERE conrelid = 'big.wide'::regclass"
                + " AND contype = 'p'"));
    }

    @Test
    void aRunLoadingATableAnotherLiveRunLoadsIsRefusedAndWritesNothing() throws Exception {
        String target = target("live_same_table");
        try (Connection gate = closedGate(target)) {
            CompletableFuture<TestingJob.Outcome> a = startGatedLoad(target, "A");
            String before = controlTables(target);
            Path settings = settings(target, "overlap", "big.%");

            TestingJob.Outcome check = within(() -> TestingJob.runArguments(settings, "--run-id", "C", "--check"));
            TestingJob.Outcome overlapping = within(() -> TestingJob.runArguments(settings, "--run-id", "C",
                    "--set", "load.target-table-prep-mode=TRUNCATE_BEFORE_LOAD"));

            String refusal = "target table big\\.wide is being loaded by run A \\(session \\d+ 'pg-fullload A driver' from"
                    + " \\S+, connected at \\S+\\): two runs loading one table would each add its rows; wait for that run to"
                    + " end, or leave big\\.wide out of this run with tables\\.exclude";
            assertEquals(3, check.status(), check.out() + check.err());
            assertThat(check.out()).containsPattern(refusal);
            assertEquals(3, overlapping.status(), overlapping.out() + overlapping.err());
            assertThat(ReportFile.read(overlapping.report()).error()).matches(refusal);
            assertEquals(before, controlTables(target));
            assertEquals(0, Sql.count(postgres, target, "SELECT count(*) FROM big.other"));

            open(gate);
            TestingJob.Outcome loaded = a.get(2, TimeUnit.MINUTES);
            assertEquals(0, loaded.status(), loaded.out() + loaded.err());
        }
        // Every row once.
        assertEquals(Sql.checksum(postgres, source, "big.wide"), Sql.checksum(postgres, target, "big.wide"));
    }

    /** A run that waits on the gated load fails the test instead of hanging it. */
    private static TestingJob.Outcome within(Supplier<TestingJob.Outcome> run) throws Exception {
        try {
            return CompletableFuture.supplyAsync(run).get(60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the run did not end in 60 s: it waits on the load in flight", e);
        }
    }

    private String target(String prefix) {
        String target = postgres.createDatabase(prefix);
        postgres.execute(target, TARGET);
        return target;
    }

    /** A session holding the gate: every COPY row into big.wide waits until {@link #open} releases it. */
    private static Connection closedGate(String target) throws SQLException {
        Connection gate = postgres.connect(target);
        try (Statement statement = gate.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + GATE + ")");
        }
        return gate;
    }

    private static void open(Connection gate) throws SQLException {
        try (Statement statement = gate.createStatement()) {
            statement.execute("SELECT pg_advisory_unlock(" + GATE + ")");
        }
    }

    /** Starts run {@code runId} of big.wide (DISABLE_TRIGGERS), returning once its triggers are off and its COPY waits. */
    private CompletableFuture<TestingJob.Outcome> startGatedLoad(String target, String runId) throws IOException {
        Path settings = settings(target, "gated", "big.wide");
        CompletableFuture<TestingJob.Outcome> load = CompletableFuture.supplyAsync(() -> TestingJob.runArguments(settings,
                "--run-id", runId, "--set", "load.target-table-prep-mode=TRUNCATE_BEFORE_LOAD",
                "--set", "load.trigger-mode=DISABLE_TRIGGERS"));
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50)).until(() -> load.isDone()
                || Sql.count(postgres, target, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND wait_event_type = 'Lock' AND wait_event = 'advisory'") > 0);
        assertFalse(load.isDone(), () -> "the load ended before its COPY reached the gate: " + load.join().out() + load.join().err());
        assertEquals("D", wideTrigger(target));
        assertEquals(List.of("big.wide " + runId), Sql.column(postgres, target,
                "SELECT target_table || ' ' || run_id FROM fullload_control.disabled_triggers"));
        return load;
    }

    /** The state of big.wide's user trigger in pg_trigger.tgenabled. */
    private static String wideTrigger(String target) {
        return Sql.scalar(postgres, target, "SELECT tgenabled::text FROM pg_trigger WHERE tgname = 'wide_rewrite'");
    }

    /** Everything the control tables hold, but the times. */
    private static String controlTables(String target) {
        List<String> rows = new ArrayList<>();
        rows.addAll(Sql.column(postgres, target, "SELECT run_id || ' ' || state || ' ' || prepared FROM fullload_control.runs ORDER BY 1"));
        rows.addAll(Sql.column(postgres, target, "SELECT run_id || ' ' || target_table || ' ' || state FROM fullload_control.tables ORDER BY 1"));
        rows.addAll(Sql.column(postgres, target, "SELECT run_id || ' ' || target_table || ' ' || partition FROM fullload_control.partitions ORDER BY 1"));
        rows.addAll(Sql.column(postgres, target, "SELECT run_id || ' ' || target_table FROM fullload_control.disabled_triggers ORDER BY 1"));
        return String.join("\n", rows);
    }

    /** A settings file of its own (and so a report of its own) for one run of the test. */
    private Path settings(String target, String name, String include) throws IOException {
        Path own = Files.createDirectories(directory.resolve(name));
        return TestingJob.settingsFile(own, postgres, source, target, "fullload.tables.include = [\"" + include + "\"]");
    }
}
