package dev.pgfullload.load;

import dev.pgfullload.testing.JobProcess;
import dev.pgfullload.testing.ReportFile;
import dev.pgfullload.testing.Sql;
import dev.pgfullload.testing.TestingJob;
import dev.pgfullload.testing.TestingPostgreSQL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The state of each trigger of a kept table (pg_trigger.tgenabled: O, D, A, R) is the application's,
 * and a load leaves it so: DISABLE_TRIGGERS puts every trigger back as it was, and so does a repair
 * after the load's process died.
 */
class TriggerStatesIT {

    private static final TestingPostgreSQL postgres = TestingPostgreSQL.shared();

    private static final long GATE = 770_002;

    private static final String TABLES = """
            CREATE SCHEMA app;
            CREATE TABLE app.parent (id bigint PRIMARY KEY, note text NOT NULL);
            CREATE TABLE app.child (id bigint PRIMARY KEY, parent_id bigint NOT NULL REFERENCES app.parent, note text NOT NULL);
            """;

    /**
     * In the target: a trigger in each state on app.child, one of its foreign key's internal triggers
     * disabled by hand, and a gate its COPY waits on while the test holds it (a CHECK constraint that
     * takes a shared advisory lock).
     */
    private static final String TARGET = TABLES + """
            CREATE FUNCTION app.rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN NEW.note := 'rewritten by ' || TG_NAME; RETURN NEW; END $$;
            CREATE TRIGGER t_origin BEFORE INSERT ON app.child FOR EACH ROW EXECUTE FUNCTION app.rewrite();
            CREATE TRIGGER t_disabled BEFORE INSERT ON app.child FOR EACH ROW EXECUTE FUNCTION app.rewrite();
            CREATE TRIGGER t_always BEFORE INSERT ON app.child FOR EACH ROW EXECUTE FUNCTION app.rewrite();
            CREATE TRIGGER t_replica BEFORE INSERT ON app.child FOR EACH ROW EXECUTE FUNCTION app.rewrite();
            CREATE TRIGGER p_always BEFORE INSERT ON app.parent FOR EACH ROW EXECUTE FUNCTION app.rewrite();
            ALTER TABLE app.child DISABLE TRIGGER t_disabled;
            ALTER TABLE app.child ENABLE ALWAYS TRIGGER t_always;
            ALTER TABLE app.child ENABLE REPLICA TRIGGER t_replica;
            ALTER TABLE app.parent ENABLE ALWAYS TRIGGER p_always;
            DO $$ BEGIN
                EXECUTE format('ALTER TABLE app.child DISABLE TRIGGER %%I', (SELECT min(tgname) FROM pg_trigger
                    WHERE tgrelid = 'app.child'::regclass AND tgisinternal));
            END $$;
            CREATE FUNCTION app.gate() RETURNS boolean LANGUAGE plpgsql AS $$
            BEGIN PERFORM pg_advisory_xact_lock_shared(%d); RETURN true; END $$;
            ALTER TABLE app.child ADD CONSTRAINT child_gate CHECK (app.gate());
            """.formatted(GATE);

    /** Every trigger of the app tables, internal ones included, with its state. */
    private static final String TRIGGER_STATES = """
            SELECT c.relname || '.' || t.tgname || '=' || t.tgenabled::text FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            WHERE c.relnamespace = 'app'::regnamespace ORDER BY 1""";

    private static String source;

    @TempDir
    Path directory;

    @BeforeAll
    static void createSource() {
        source = postgres.createDatabase("tstates_src");
        postgres.execute(source, TABLES + """
                INSERT INTO app.parent SELECT g, 'parent ' || g FROM generate_series(1, 100) g;
                INSERT INTO app.child SELECT g, 1 + g % 100, 'child ' || g FROM generate_series(1, 3000) g;
                ANALYZE;
                """);
    }

    @Test
    void disableTriggersPutsEveryTriggerBackInTheStateItHad() {
        String target = target("tstates_load");
        List<String> before = Sql.column(postgres, target, TRIGGER_STATES);

        TestingJob.Outcome outcome = TestingJob.run(settings(target), "load.trigger-mode=DISABLE_TRIGGERS",
                "load.target-table-prep-mode=TRUNCATE_BEFORE_LOAD");

        assertEquals(0, outcome.status(), outcome.out() + outcome.err());
        assertEquals(before, Sql.column(postgres, target, TRIGGER_STATES));
        // No trigger fired, the ENABLE ALWAYS and ENABLE REPLICA ones included.
        assertEquals(Sql.checksum(postgres, source, "app.parent"), Sql.checksum(postgres, target, "app.parent"));
        assertEquals(Sql.checksum(postgres, source, "app.child"), Sql.checksum(postgres, target, "app.child"));
        assertEquals(0, Sql.count(postgres, target, "SELECT count(*) FROM fullload_control.disabled_triggers"));
        assertEquals(0, Sql.count(postgres, target, "SELECT count(*) FROM fullload_control.trigger_states"));
    }

    @Test
    void repairAfterAKilledLoadPutsEveryTriggerBackInTheStateItHad() throws Exception {
        String target = target("tstates_kill");
        List<String> before = Sql.column(postgres, target, TRIGGER_STATES);
        Path settings = settings(target);
        Process load;
        try (Connection gate = postgres.connect(target); Statement statement = gate.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + GATE + ")");
            load = JobProcess.start(directory, Map.of(), Map.of(), List.of("--config", settings.toString(), "--run-id", "K",
                    "--set", "load.trigger-mode=DISABLE_TRIGGERS", "--set", "load.max-full-load-subtasks=1"),
                    directory.resolve("killed.out"), directory.resolve("killed.err"));
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).until(() -> !load.isAlive()
                    || Sql.count(postgres, target, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND wait_event_type = 'Lock' AND wait_event = 'advisory'") > 0);
            assertTrue(load.isAlive(), () -> "the load ended before its COPY reached the gate: " + read("killed.err"));

            load.destroyForcibly();
            assertTrue(load.waitFor(1, TimeUnit.MINUTES));
            // The COPY's server session waits on the gate still; let it find its client gone.
            statement.execute("SELECT pg_advisory_unlock(" + GATE + ")");
        }
        assertEquals(List.of("D"), Sql.column(postgres, target,
                "SELECT DISTINCT tgenabled::text FROM pg_trigger WHERE tgrelid = 'app.child'::regclass"));
        await().atMost(Duration.ofSeconds(30)).until(() -> Sql.count(postgres, target, "SELECT count(*) FROM pg_stat_activity"
                + " WHERE datname = current_database() AND application_name LIKE 'pg-fullload K %'") == 0);

        TestingJob.Outcome repair = TestingJob.runArguments(settings, "--repair");

        assertEquals(0, repair.status(), repair.out() + repair.err());
        assertEquals("pg-fullload repair:\n  enabled the triggers of app.child, which run K left disabled\n", repair.out());
        assertEquals(before, Sql.column(postgres, target, TRIGGER_STATES));
        assertEquals(0, Sql.count(postgres, target, "SELECT count(*) FROM fullload_control.disabled_triggers"));
        assertEquals(0, Sql.count(postgres, target, "SELECT count(*) FROM fullload_control.trigger_states"));
    }

    /** SIGTERM, as Airflow cancels a task: the process puts the triggers back and leaves no record. */
    @Test
    void sigtermMidLoadPutsEveryTriggerBackAndLeavesNoRecord() throws Exception {
        String target = target("tstates_term");
        List<String> before = Sql.column(postgres, target, TRIGGER_STATES);
        Path settings = settings(target);
        try (Connection gate = postgres.connect(target); Statement statement = gate.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + GATE + ")");
            Process load = JobProcess.start(directory, Map.of(), Map.of(), List.of("--config", settings.toString(), "--run-id",
                    "T", "--set", "load.trigger-mode=DISABLE_TRIGGERS", "--set", "load.max-full-load-subtasks=1"),
                    directory.resolve("term.out"), directory.resolve("term.err"));
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).until(() -> !load.isAlive()
                    || Sql.count(postgres, target, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND wait_event_type = 'Lock' AND wait_event = 'advisory'") > 0);
            assertTrue(load.isAlive(), () -> "the load ended before its COPY reached the gate: " + read("term.err"));
            assertEquals(List.of("D"), Sql.column(postgres, target,
                    "SELECT DISTINCT tgenabled::text FROM pg_trigger WHERE tgrelid = 'app.child'::regclass"));

            load.destroy();
            statement.execute("SELECT pg_advisory_unlock(" + GATE + ")");
            assertTrue(load.waitFor(1, TimeUnit.MINUTES), () -> read("term.err"));
        }
        assertEquals(before, Sql.column(postgres, target, TRIGGER_STATES), () -> read("term.err"));
        assertEquals(0, Sql.count(postgres, target, "SELECT count(*) FROM fullload_control.disabled_triggers"));
        assertEquals(0, Sql.count(postgres, target, "SELECT count(*) FROM fullload_control.trigger_states"));
    }

    @Test
    void sessionReplicationRoleRefusesTriggersThatFireUnderItBeforeWritingAnything() {
        String target = target("tstates_replica");
        postgres.execute(target, "INSERT INTO app.parent VALUES (900, 'the application''s')");
        Path settings = settings(target);

        TestingJob.Outcome check = TestingJob.runArguments(settings, "--check",
                "--set", "load.target-table-prep-mode=TRUNCATE_BEFORE_LOAD");
        TestingJob.Outcome load = TestingJob.run(settings, "load.target-table-prep-mode=TRUNCATE_BEFORE_LOAD");

        List<String> problems = List.of(
                "trigger t_always on table app.child is set ENABLE ALWAYS, so it fires during the load even under"
                        + " load.trigger-mode = SESSION_REPLICATION_ROLE (the replica role silences only triggers enabled the"
                        + " ordinary way): use load.trigger-mode = DISABLE_TRIGGERS (it switches the trigger off for the load"
                        + " and back to ENABLE ALWAYS after it), or run ALTER TABLE \"app\".\"child\" ENABLE TRIGGER \"t_always\""
                        + " for the load and ALTER TABLE \"app\".\"child\" ENABLE ALWAYS TRIGGER \"t_always\" after it",
                "trigger t_replica on table app.child is set ENABLE REPLICA, so it fires during the load precisely because"
                        + " of load.trigger-mode = SESSION_REPLICATION_ROLE (the replica role fires ENABLE REPLICA triggers):"
                        + " use load.trigger-mode = DISABLE_TRIGGERS (it switches the trigger off for the load and back to"
                        + " ENABLE REPLICA after it), or run ALTER TABLE \"app\".\"child\" ENABLE TRIGGER \"t_replica\" for"
                        + " the load and ALTER TABLE \"app\".\"child\" ENABLE REPLICA TRIGGER \"t_replica\" after it",
                "trigger p_always on table app.parent is set ENABLE ALWAYS, so it fires during the load even under"
                        + " load.trigger-mode = SESSION_REPLICATION_ROLE (the replica role silences only triggers enabled the"
                        + " ordinary way): use load.trigger-mode = DISABLE_TRIGGERS (it switches the trigger off for the load"
                        + " and back to ENABLE ALWAYS after it), or run ALTER TABLE \"app\".\"parent\" ENABLE TRIGGER"
                        + " \"p_always\" for the load and ALTER TABLE \"app\".\"parent\" ENABLE ALWAYS TRIGGER \"p_always\""
                        + " after it");
        assertEquals(3, check.status(), check.out() + check.err());
        for (String problem : problems) {
            assertTrue(check.out().contains(problem), check.out());
        }
        assertEquals(3, load.status(), load.out() + load.err());
        assertEquals("preflight found 3 problems; nothing was written:\n- " + String.join("\n- ", problems),
                ReportFile.read(load.report()).error());
        assertEquals(List.of("900 rewritten by p_always"), Sql.column(postgres, target, "SELECT id || ' ' || note FROM app.parent"));
        assertEquals(0, Sql.count(postgres, target, "SELECT count(*) FROM app.child"));
        assertEquals(0, Sql.count(postgres, target, "SELECT count(*) FROM pg_namespace WHERE nspname = 'fullload_control'"));
    }

    /** COPY ignores rules: one set ENABLE ALWAYS or ENABLE REPLICA changes nothing under the replica role. */
    @Test
    void sessionReplicationRoleLoadsTablesWhoseRulesAreEnabledAlwaysOrReplica() {
        String target = postgres.createDatabase("tstates_rules");
        postgres.execute(target, TABLES + """
                CREATE TABLE app.diverted (id bigint, note text);
                CREATE RULE child_instead AS ON INSERT TO app.child DO INSTEAD INSERT INTO app.diverted VALUES (NEW.id, NEW.note);
                CREATE RULE parent_instead AS ON INSERT TO app.parent DO INSTEAD INSERT INTO app.diverted VALUES (NEW.id, NEW.note);
                ALTER TABLE app.child ENABLE ALWAYS RULE child_instead;
                ALTER TABLE app.parent ENABLE REPLICA RULE parent_instead;
                """);

        TestingJob.Outcome outcome = TestingJob.run(settings(target), "load.target-table-prep-mode=TRUNCATE_BEFORE_LOAD");

        assertEquals(0, outcome.status(), outcome.out() + outcome.err());
        assertEquals(Sql.checksum(postgres, source, "app.parent"), Sql.checksum(postgres, target, "app.parent"));
        assertEquals(Sql.checksum(postgres, source, "app.child"), Sql.checksum(postgres, target, "app.child"));
        assertEquals(0, Sql.count(postgres, target, "SELECT count(*) FROM app.diverted"));
    }

    private String target(String prefix) {
        String target = postgres.createDatabase(prefix);
        postgres.execute(target, TARGET);
        return target;
    }

    private Path settings(String target) {
        return TestingJob.settingsFile(directory, postgres, source, target, "fullload.tables.include = [\"app.%\"]");
    }

    private String read(String file) {
        try {
            return Files.readString(directory.resolve(file));
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
