package dev.pgfullload.target;

import dev.pgfullload.testing.ReportFile;
import dev.pgfullload.testing.Sql;
import dev.pgfullload.testing.TestingJob;
import dev.pgfullload.testing.TestingPostgreSQL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the job checks on the target before it writes anything, and what it says when a check fails:
 * exit status 3, a message that names the problem, and a target left as it was.
 */
class PreflightIT {

    private static final TestingPostgreSQL postgres = TestingPostgreSQL.shared();

    private static final String PASSWORD = "Corr3ct-horse";

    private static String source;

    @TempDir
    Path directory;

    @BeforeAll
    static void createSource() {
        source = postgres.createDatabase("pre_src");
        postgres.execute(source, """
                CREATE SCHEMA pre;
                CREATE TABLE pre.parent (parent_id integer PRIMARY KEY, name text NOT NULL);
                CREATE TABLE pre.child (child_id integer PRIMARY KEY, parent_id integer NOT NULL REFERENCES pre.parent, note text);
                SET session_replication_role = replica;
                INSERT INTO pre.child SELECT c, 1 + c % 10, 'child ' || c FROM generate_series(1, 200) c;
                INSERT INTO pre.parent SELECT p, 'parent ' || p FROM generate_series(1, 10) p;
                """);
    }

    @Test
    void aTargetDatabaseThatDoesNotExistIsRefused() {
        String missing = "pre_missing_" + ProcessHandle.current().pid();

        TestingJob.Outcome outcome = run(missing);

        assertEquals(3, outcome.status(), outcome.out() + outcome.err());
        String error = ReportFile.read(outcome.report()).error();
        assertTrue(error.startsWith("the target database " + postgres.jdbcUrl(missing) + " does not exist"), error);
        assertTrue(error.contains("database \"" + missing + "\" does not exist"), error);
        assertEquals(0, Sql.count(postgres, "postgres", "SELECT count(*) FROM pg_database WHERE datname = '" + missing + "'"));
    }

    @Test
    void aRoleWithoutLoginIsRefused() {
        String target = postgres.createDatabase("pre_nologin");
        String role = "r_" + target;
        postgres.execute("postgres", "CREATE ROLE " + role + " NOLOGIN PASSWORD '" + PASSWORD + "'");

        TestingJob.Outcome outcome = run(target, "target.user=" + role, "target.password=" + PASSWORD);

        assertEquals(3, outcome.status(), outcome.out() + outcome.err());
        String error = ReportFile.read(outcome.report()).error();
        assertTrue(error.contains("role \"" + role + "\" is not permitted to log in"), error);
        assertTrue(error.contains("the migration user must be a registered role with LOGIN"), error);
        assertTrue(error.contains("ALTER ROLE \"" + role + "\" LOGIN"), error);
        assertNothingWritten(target);
    }

    @Test
    void aWrongPasswordIsRefused() {
        String target = postgres.createDatabase("pre_password");
        String role = "r_" + target;
        postgres.execute("postgres", "CREATE ROLE " + role + " LOGIN PASSWORD '" + PASSWORD + "'");

        TestingJob.Outcome outcome = run(target, "target.user=" + role, "target.password=not-" + PASSWORD);

        assertEquals(3, outcome.status(), outcome.out() + outcome.err());
        String error = ReportFile.read(outcome.report()).error();
        assertTrue(error.startsWith("password authentication failed for user " + role + " on the target database "
                + postgres.jdbcUrl(target)), error);
        assertTrue(!error.contains(PASSWORD), "the message shows the password: " + error);
        assertNothingWritten(target);
    }

    @Test
    void anUnreachableServerIsRefused() {
        String target = postgres.createDatabase("pre_unreachable");

        TestingJob.Outcome outcome = run(target, "target.url=jdbc:postgresql://127.0.0.1:1/" + target);

        assertEquals(3, outcome.status(), outcome.out() + outcome.err());
        String error = ReportFile.read(outcome.report()).error();
        assertTrue(error.startsWith("cannot reach the target server at 127.0.0.1:1 ("), error);
        assertNothingWritten(target);
    }

    @Test
    void aServerThatNeverAnswersIsGivenUpWithinTheTimeout() throws IOException {
        String target = postgres.createDatabase("pre_silent");
        // The system completes the connection into the backlog; nothing ever reads or answers it.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            long started = System.nanoTime();

            TestingJob.Outcome outcome = run(target, "target.url=jdbc:postgresql://127.0.0.1:" + silent.getLocalPort() + "/" + target,
                    "target.properties.loginTimeout=1");

            long seconds = (System.nanoTime() - started) / 1_000_000_000;
            assertEquals(3, outcome.status(), outcome.out() + outcome.err());
            assertEquals("cannot reach the target server at 127.0.0.1:" + silent.getLocalPort() + " (Connection attempt timed out.):"
                    + " check host and port in target.url, and that the server is running and accepts TCP connections from here",
                    ReportFile.read(outcome.report()).error());
            assertTrue(seconds < 10, "gave up after " + seconds + " s");
        }
        assertNothingWritten(target);
    }

    @Test
    void sessionReplicationRoleNeedsTheGrantAndWorksOnceGiven() {
        String target = postgres.createDatabase("pre_replica");
        String role = "r_" + target;
        postgres.execute("postgres", "CREATE ROLE " + role + " LOGIN PASSWORD '" + PASSWORD + "'");
        // The owner of the target database may create the schema and tables; it is not a superuser.
        postgres.execute("postgres", "ALTER DATABASE " + target + " OWNER TO " + role);
        String[] asRole = {"target.user=" + role, "target.password=" + PASSWORD, "load.trigger-mode=SESSION_REPLICATION_ROLE"};

        TestingJob.Outcome refused = run(target, asRole);

        assertEquals(3, refused.status(), refused.out() + refused.err());
        String error = ReportFile.read(refused.report()).error();
        assertTrue(error.startsWith("the target user " + role + " may not set session_replication_role"
                + " (ERROR: permission denied to set parameter \"session_replication_role\")"), error);
        assertTrue(error.contains("GRANT SET ON PARAMETER session_replication_role TO \"" + role + "\""), error);
        assertNothingWritten(target);

        postgres.execute("postgres", "GRANT SET ON PARAMETER session_replication_role TO " + role);
        TestingJob.Outcome loaded = run(target, asRole);

        assertEquals(0, loaded.status(), loaded.out() + loaded.err());
        for (String table : List.of("pre.parent", "pre.child")) {
            assertEquals(Sql.checksum(postgres, source, table), Sql.checksum(postgres, target, table), table);
        }
        assertEquals(List.of(role, role), Sql.column(postgres, target,
                "SELECT tableowner FROM pg_tables WHERE schemaname = 'pre' ORDER BY tablename"));
    }

    @Test
    void disableTriggersByANonSuperuserIsRefusedWhenTablesHaveForeignKeys() {
        String target = postgres.createDatabase("pre_disable");
        String role = "r_" + target;
        postgres.execute("postgres", "CREATE ROLE " + role + " LOGIN PASSWORD '" + PASSWORD + "'");
        postgres.execute("postgres", "ALTER DATABASE " + target + " OWNER TO " + role);
        // The role owns the tables, so it may disable their user triggers, but not the foreign key's system triggers.
        postgres.execute(target, """
                CREATE SCHEMA pre;
                CREATE TABLE pre.parent (parent_id integer PRIMARY KEY, name text NOT NULL);
                CREATE TABLE pre.child (child_id integer PRIMARY KEY, parent_id integer NOT NULL REFERENCES pre.parent, note text);
                INSERT INTO pre.parent VALUES (99, 'stale');
                INSERT INTO pre.child VALUES (99, 99, 'stale');
                """ + "ALTER SCHEMA pre OWNER TO " + role + "; ALTER TABLE pre.parent OWNER TO " + role
                + "; ALTER TABLE pre.child OWNER TO " + role);
        String[] asRole = {"target.user=" + role, "target.password=" + PASSWORD, "load.trigger-mode=DISABLE_TRIGGERS",
                "load.target-table-prep-mode=TRUNCATE_BEFORE_LOAD"};

        TestingJob.Outcome refused = run(target, asRole);

        assertEquals(3, refused.status(), refused.out() + refused.err());
        assertEquals("the target user " + role + " is not a superuser, and load.trigger-mode = DISABLE_TRIGGERS would have"
                + " to disable the foreign-key (system) triggers of [pre.child, pre.parent], which only a superuser may."
                + " Use load.trigger-mode = SESSION_REPLICATION_ROLE (on PostgreSQL 15 or later a superuser can run"
                + " GRANT SET ON PARAMETER session_replication_role TO \"" + role + "\"), NONE (triggers fire, parents load first),"
                + " or a superuser as target.user", ReportFile.read(refused.report()).error());
        assertEquals(List.of("99"), Sql.column(postgres, target, "SELECT parent_id FROM pre.parent"));
        assertEquals(List.of("99"), Sql.column(postgres, target, "SELECT child_id FROM pre.child"));

        // Recreated from the source, the tables have no foreign key, and the owner may disable all their triggers.
        TestingJob.Outcome loaded = run(target, "target.user=" + role, "target.password=" + PASSWORD,
                "load.trigger-mode=DISABLE_TRIGGERS", "load.target-table-prep-mode=DROP_AND_CREATE");

        assertEquals(0, loaded.status(), loaded.out() + loaded.err());
        for (String table : List.of("pre.parent", "pre.child")) {
            assertEquals(Sql.checksum(postgres, source, table), Sql.checksum(postgres, target, table), table);
        }
    }

    private TestingJob.Outcome run(String target, String... overrides) {
        return TestingJob.run(TestingJob.settingsFile(directory, postgres, source, target, "fullload.tables.include = [\"pre.%\"]"),
                overrides);
    }

    /** The load would have created schema pre and its tables. */
    private static void assertNothingWritten(String target) {
        assertEquals(0, Sql.count(postgres, target, "SELECT count(*) FROM pg_namespace WHERE nspname = 'pre'"));
        assertEquals(0, Sql.count(postgres, target, """
                SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')"""));
    }
}
