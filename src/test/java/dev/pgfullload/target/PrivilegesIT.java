package dev.pgfullload.target;

import dev.pgfullload.testing.ReportFile;
import dev.pgfullload.testing.Sql;
import dev.pgfullload.testing.TestingJob;
import dev.pgfullload.testing.TestingPostgreSQL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A migration role that is not a superuser, missing one privilege the settings need at a time: the run
 * stops before writing anything (exit 3) with the statement that grants it, and once that statement has
 * run, the same load succeeds. Roles here log in with a password, as the embedded server asks every
 * role but its superuser.
 */
class PrivilegesIT {

    private static final TestingPostgreSQL postgres = TestingPostgreSQL.shared();

    private static final String PASSWORD = "Least-privilege-1";

    private static final List<String> TABLES = List.of("priv.child", "priv.parent");

    /** The target tables as an earlier load left them, owned by the superuser, with rows the load replaces. */
    private static final String STALE_TARGET = """
            CREATE TABLE priv.parent (parent_id integer PRIMARY KEY, name text NOT NULL, doc text);
            CREATE TABLE priv.child (child_id bigserial PRIMARY KEY, parent_id integer NOT NULL REFERENCES priv.parent, note text);
            INSERT INTO priv.parent VALUES (99, 'stale', NULL);
            INSERT INTO priv.child VALUES (99, 99, 'stale');
            """;

    private static String source;

    @TempDir
    Path directory;

    @BeforeAll
    static void createSource() {
        source = postgres.createDatabase("priv_src");
        postgres.execute(source, """
                CREATE SCHEMA priv;
                CREATE TABLE priv.parent (parent_id integer PRIMARY KEY, name text NOT NULL, doc jsonb);
                CREATE TABLE priv.child (child_id bigserial PRIMARY KEY, parent_id integer NOT NULL REFERENCES priv.parent, note text);
                INSERT INTO priv.parent SELECT p, 'parent ' || p, jsonb_build_object('p', p) FROM generate_series(1, 20) p;
                INSERT INTO priv.child (parent_id, note) SELECT 1 + c % 20, 'child ' || c FROM generate_series(1, 300) c;
                """);
    }

    @Test
    void withoutConnectTheRoleIsRefusedAtTheDoor() {
        String target = postgres.createDatabase("priv_connect");
        String role = role(target);
        postgres.execute("postgres", "REVOKE CONNECT ON DATABASE " + target + " FROM PUBLIC; GRANT CREATE ON DATABASE "
                + target + " TO " + role);
        String before = snapshot(target);

        TestingJob.Outcome refused = runAs(target, role);

        assertEquals(3, refused.status(), refused.out() + refused.err());
        assertEquals("the target database " + postgres.jdbcUrl(target) + " refused user " + role + " (FATAL: permission denied for"
                + " database \"" + target + "\"): run GRANT CONNECT ON DATABASE \"" + target + "\" TO \"" + role + "\"", error(refused));
        assertEquals(before, snapshot(target));

        postgres.execute("postgres", "GRANT CONNECT ON DATABASE " + target + " TO " + role);
        assertLoaded(target, runAs(target, role));
    }

    @Test
    void withoutCreateOnTheDatabaseNoSchemaIsMade() {
        String target = postgres.createDatabase("priv_createdb");
        String role = role(target);
        String before = snapshot(target);

        TestingJob.Outcome refused = runAs(target, role);

        assertEquals(3, refused.status(), refused.out() + refused.err());
        assertEquals("the target user " + role + " may not create schemas in the target database " + target + ", and the run"
                + " creates schema fullload_control (control.schema), schema priv: run GRANT CREATE ON DATABASE \""
                + target + "\" TO \"" + role + "\"", error(refused));
        assertEquals(before, snapshot(target));

        postgres.execute("postgres", "GRANT CREATE ON DATABASE " + target + " TO " + role);
        assertLoaded(target, runAs(target, role));
        assertEquals(List.of(role, role), Sql.column(postgres, target,
                "SELECT tableowner FROM pg_tables WHERE schemaname = 'priv' ORDER BY tablename"));
    }

    @Test
    void usageAndCreateOnTheSchemaWhereTablesAreCreated() {
        String target = postgres.createDatabase("priv_schema");
        String role = role(target);
        postgres.execute(target, "CREATE SCHEMA priv; GRANT CREATE ON DATABASE " + target + " TO " + role);
        String before = snapshot(target);

        TestingJob.Outcome neither = runAs(target, role);

        assertEquals(3, neither.status(), neither.out() + neither.err());
        assertEquals("the target user " + role + " lacks USAGE and CREATE on schema priv, where the run creates table"
                + " priv.child, table priv.parent: run GRANT USAGE, CREATE ON SCHEMA \"priv\" TO \"" + role + "\"", error(neither));
        assertEquals(before, snapshot(target));

        postgres.execute(target, "GRANT USAGE ON SCHEMA priv TO " + role);
        TestingJob.Outcome usageOnly = runAs(target, role);

        assertEquals(3, usageOnly.status(), usageOnly.out() + usageOnly.err());
        assertEquals("the target user " + role + " lacks CREATE on schema priv, where the run creates table priv.child,"
                + " table priv.parent: run GRANT CREATE ON SCHEMA \"priv\" TO \"" + role + "\"", error(usageOnly));
        assertEquals(before, snapshot(target));

        postgres.execute(target, "GRANT CREATE ON SCHEMA priv TO " + role);
        assertLoaded(target, runAs(target, role));
    }

    @Test
    void dropAndCreateNeedsToOwnTheTables() {
        String target = postgres.createDatabase("priv_owner");
        String role = role(target);
        postgres.execute(target, "CREATE SCHEMA priv;" + STALE_TARGET + "ALTER SCHEMA priv OWNER TO " + role
                + "; GRANT CREATE ON DATABASE " + target + " TO " + role
                + "; GRANT ALL ON ALL TABLES IN SCHEMA priv TO " + role + "; GRANT ALL ON ALL SEQUENCES IN SCHEMA priv TO " + role);
        String before = snapshot(target);

        TestingJob.Outcome refused = runAs(target, role, "load.target-table-prep-mode=DROP_AND_CREATE");

        assertEquals(3, refused.status(), refused.out() + refused.err());
        List<String> expected = new ArrayList<>();
        for (String table : TABLES) {
            String name = table.substring("priv.".length());
            expected.add("the target user " + role + " does not own table " + table + " (its owner is postgres), and"
                    + " load.target-table-prep-mode = DROP_AND_CREATE drops it, which only its owner may: run ALTER TABLE"
                    + " \"priv\".\"" + name + "\" OWNER TO \"" + role + "\" (as postgres or a superuser)");
        }
        assertEquals(expected, problems(refused));
        assertEquals("preflight found 2 problems; nothing was written:\n- " + String.join("\n- ", expected), error(refused));
        assertEquals(before, snapshot(target));

        postgres.execute(target, "ALTER TABLE priv.parent OWNER TO " + role + "; ALTER TABLE priv.child OWNER TO " + role);
        assertLoaded(target, runAs(target, role, "load.target-table-prep-mode=DROP_AND_CREATE"));
    }

    @Test
    void truncateBeforeLoadNeedsTheTruncatePrivilege() {
        String target = postgres.createDatabase("priv_truncate");
        String role = role(target);
        postgres.execute(target, "CREATE SCHEMA priv;" + STALE_TARGET + "ALTER SCHEMA priv OWNER TO " + role
                + "; GRANT CREATE ON DATABASE " + target + " TO " + role
                + "; GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA priv TO " + role
                + "; GRANT UPDATE ON ALL SEQUENCES IN SCHEMA priv TO " + role);
        String before = snapshot(target);

        TestingJob.Outcome refused = runAs(target, role, "load.target-table-prep-mode=TRUNCATE_BEFORE_LOAD");

        assertEquals(3, refused.status(), refused.out() + refused.err());
        List<String> expected = new ArrayList<>();
        for (String table : TABLES) {
            expected.add("the target user " + role + " lacks TRUNCATE (load.target-table-prep-mode = TRUNCATE_BEFORE_LOAD"
                    + " empties it) on table " + table + ": run GRANT TRUNCATE ON TABLE \"priv\".\""
                    + table.substring("priv.".length()) + "\" TO \"" + role + "\"");
        }
        assertEquals(expected, problems(refused));
        assertEquals(before, snapshot(target));

        postgres.execute(target, "GRANT TRUNCATE ON ALL TABLES IN SCHEMA priv TO " + role);
        assertLoaded(target, runAs(target, role, "load.target-table-prep-mode=TRUNCATE_BEFORE_LOAD"));
        assertEquals(List.of("postgres", "postgres"), Sql.column(postgres, target,
                "SELECT tableowner FROM pg_tables WHERE schemaname = 'priv' ORDER BY tablename"), "the tables were kept");
    }

    @Test
    void doNothingNeedsInsertOnTheTablesItKeeps() {
        String target = postgres.createDatabase("priv_insert");
        String role = role(target);
        postgres.execute(target, "CREATE SCHEMA priv;" + STALE_TARGET + "TRUNCATE priv.parent, priv.child;"
                + "ALTER SCHEMA priv OWNER TO " + role + "; GRANT CREATE ON DATABASE " + target + " TO " + role
                + "; GRANT SELECT ON ALL TABLES IN SCHEMA priv TO " + role
                + "; GRANT UPDATE ON ALL SEQUENCES IN SCHEMA priv TO " + role);
        String before = snapshot(target);

        TestingJob.Outcome refused = runAs(target, role);

        assertEquals(3, refused.status(), refused.out() + refused.err());
        List<String> expected = new ArrayList<>();
        for (String table : TABLES) {
            expected.add("the target user " + role + " lacks INSERT (COPY loads its rows) on table " + table
                    + ": run GRANT INSERT ON TABLE \"priv\".\"" + table.substring("priv.".length()) + "\" TO \"" + role + "\"");
        }
        assertEquals(expected, problems(refused));
        assertEquals(before, snapshot(target));

        postgres.execute(target, "GRANT INSERT ON ALL TABLES IN SCHEMA priv TO " + role);
        assertLoaded(target, runAs(target, role));
    }

    @Test
    void resettingAKeptTablesSequenceNeedsUpdateOnItAndSelectOnTheTable() {
        String target = postgres.createDatabase("priv_sequence");
        String role = role(target);
        postgres.execute(target, "CREATE SCHEMA priv;" + STALE_TARGET + "TRUNCATE priv.parent, priv.child;"
                + "ALTER SCHEMA priv OWNER TO " + role + "; GRANT CREATE ON DATABASE " + target + " TO " + role
                + "; GRANT INSERT ON ALL TABLES IN SCHEMA priv TO " + role);
        String before = snapshot(target);

        TestingJob.Outcome refused = runAs(target, role, "validation.foreign-keys=false");

        assertEquals(3, refused.status(), refused.out() + refused.err());
        assertEquals(List.of("the target user " + role + " lacks SELECT (load.reset-sequences reads its largest value) on table"
                        + " priv.child: run GRANT SELECT ON TABLE \"priv\".\"child\" TO \"" + role + "\"",
                "the target user " + role + " lacks UPDATE on sequence priv.child_child_id_seq of table priv.child, which"
                        + " load.reset-sequences sets past the loaded values: run GRANT UPDATE ON SEQUENCE"
                        + " \"priv\".\"child_child_id_seq\" TO \"" + role + "\", or set load.reset-sequences = false"),
                problems(refused));
        assertEquals(before, snapshot(target));

        postgres.execute(target, "GRANT SELECT ON priv.child TO " + role + "; GRANT UPDATE ON priv.child_child_id_seq TO " + role);
        assertLoaded(target, runAs(target, role, "validation.foreign-keys=false"));
        assertEquals("301", Sql.scalar(postgres, target, "SELECT nextval('priv.child_child_id_seq')"));
    }

    @Test
    void theForeignKeyCheckNeedsSelectOnTheKeptTablesItReads() {
        String target = postgres.createDatabase("priv_fkcheck");
        String role = role(target);
        postgres.execute(target, "CREATE SCHEMA priv;" + STALE_TARGET + "TRUNCATE priv.parent, priv.child;"
                + "ALTER SCHEMA priv OWNER TO " + role + "; GRANT CREATE ON DATABASE " + target + " TO " + role
                + "; GRANT INSERT ON ALL TABLES IN SCHEMA priv TO " + role);
        String before = snapshot(target);

        TestingJob.Outcome refused = runAs(target, role, "load.reset-sequences=false");

        assertEquals(3, refused.status(), refused.out() + refused.err());
        List<String> expected = new ArrayList<>();
        for (String table : TABLES) {
            expected.add("the target user " + role + " lacks SELECT (validation.foreign-keys checks its rows against its"
                    + " foreign keys) on table " + table + ": run GRANT SELECT ON TABLE \"priv\".\""
                    + table.substring("priv.".length()) + "\" TO \"" + role + "\"");
        }
        assertEquals(expected, problems(refused));
        assertEquals(before, snapshot(target));

        postgres.execute(target, "GRANT SELECT ON ALL TABLES IN SCHEMA priv TO " + role);
        TestingJob.Outcome loaded = runAs(target, role, "load.reset-sequences=false");
        assertLoaded(target, loaded);
        assertTrue(ReportFile.read(loaded.report()).root().path("preparation").toString()
                .contains("foreign key check: no row of the loaded tables breaks a foreign key between them"), loaded.out());
    }

    @Test
    void aForeignKeyAddedToACreatedTableNeedsReferencesOnTheKeptTableItReferences() {
        String target = postgres.createDatabase("priv_references");
        String role = role(target);
        postgres.execute(target, "CREATE SCHEMA priv; CREATE TABLE priv.parent (parent_id integer PRIMARY KEY, name text NOT NULL,"
                + " doc text); ALTER SCHEMA priv OWNER TO " + role + "; GRANT CREATE ON DATABASE " + target + " TO " + role
                + "; GRANT SELECT, INSERT ON priv.parent TO " + role);
        String before = snapshot(target);

        TestingJob.Outcome refused = runAs(target, role);

        assertEquals(3, refused.status(), refused.out() + refused.err());
        assertEquals("the target user " + role + " lacks REFERENCES (the run adds foreign key child_parent_id_fkey of priv.child"
                + " referencing it) on table priv.parent: run GRANT REFERENCES ON TABLE \"priv\".\"parent\" TO \"" + role + "\"",
                error(refused));
        assertEquals(before, snapshot(target));

        postgres.execute(target, "GRANT REFERENCES ON priv.parent TO " + role);
        assertLoaded(target, runAs(target, role));
        assertEquals(List.of("child_parent_id_fkey"), Sql.column(postgres, target,
                "SELECT conname FROM pg_constraint WHERE contype = 'f' AND conrelid = 'priv.child'::regclass"));
    }

    @Test
    void disableTriggersNeedsToOwnTheTablesItKeeps() {
        String target = postgres.createDatabase("priv_triggers");
        String role = role(target);
        postgres.execute(target, "CREATE SCHEMA priv;" + STALE_TARGET.replace(" REFERENCES priv.parent", "")
                + "TRUNCATE priv.parent, priv.child; ALTER SCHEMA priv OWNER TO " + role
                + "; GRANT CREATE ON DATABASE " + target + " TO " + role
                + "; GRANT ALL ON ALL TABLES IN SCHEMA priv TO " + role + "; GRANT ALL ON ALL SEQUENCES IN SCHEMA priv TO " + role);
        String before = snapshot(target);

        TestingJob.Outcome refused = runAs(target, role, "load.trigger-mode=DISABLE_TRIGGERS");

        assertEquals(3, refused.status(), refused.out() + refused.err());
        List<String> expected = new ArrayList<>();
        for (String table : TABLES) {
            expected.add("the target user " + role + " does not own table " + table + " (its owner is postgres), and"
                    + " load.trigger-mode = DISABLE_TRIGGERS runs ALTER TABLE ... DISABLE TRIGGER ALL on it, which only its"
                    + " owner may: run ALTER TABLE \"priv\".\"" + table.substring("priv.".length()) + "\" OWNER TO \"" + role
                    + "\" (as postgres or a superuser)");
        }
        assertEquals(expected, problems(refused));
        assertEquals(before, snapshot(target));

        postgres.execute(target, "ALTER TABLE priv.parent OWNER TO " + role + "; ALTER TABLE priv.child OWNER TO " + role);
        assertLoaded(target, runAs(target, role, "load.trigger-mode=DISABLE_TRIGGERS"));
    }

    @Test
    void controlTablesAnotherUserCreatedNeedUsageAndTheirPrivileges() {
        String target = postgres.createDatabase("priv_control");
        String role = role(target);
        // A first load by the superuser created the control tables; the role now owns the data tables.
        assertLoaded(target, TestingJob.run(settings(target), "load.target-table-prep-mode=DROP_AND_CREATE"));
        postgres.execute(target, "ALTER SCHEMA priv OWNER TO " + role + "; ALTER TABLE priv.parent OWNER TO " + role
                + "; ALTER TABLE priv.child OWNER TO " + role);
        String before = snapshot(target);

        TestingJob.Outcome refused = runAs(target, role, "load.target-table-prep-mode=DROP_AND_CREATE");

        assertEquals(3, refused.status(), refused.out() + refused.err());
        String tables = String.join(", ", List.of("runs", "tables", "partitions", "disabled_triggers", "rejects", "trigger_states").stream()
                .map(name -> "fullload_control." + name + " (SELECT, INSERT, UPDATE, DELETE)").toList());
        assertEquals(List.of("the target user " + role + " lacks USAGE on schema fullload_control, which holds the control"
                        + " tables (control.schema): run GRANT USAGE ON SCHEMA \"fullload_control\" TO \"" + role + "\"",
                "the target user " + role + " may not read and write the control tables " + tables + ", which record the run:"
                        + " run GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA \"fullload_control\" TO \"" + role + "\""),
                problems(refused));
        assertEquals(before, snapshot(target));

        postgres.execute(target, "GRANT USAGE ON SCHEMA fullload_control TO " + role
                + "; GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA fullload_control TO " + role);
        assertLoaded(target, runAs(target, role, "load.target-table-prep-mode=DROP_AND_CREATE"));
        assertEquals(2, Sql.count(postgres, target, "SELECT count(*) FROM fullload_control.runs WHERE state = 'succeeded'"));
    }

    @Test
    void theSourceUserNeedsUsageOnTheSchemaAndSelectOnEveryTable() {
        String target = postgres.createDatabase("priv_select");
        String reader = sourceRole("s_" + target);
        String[] asReader = asSourceUser(reader);
        String before = snapshot(target);

        TestingJob.Outcome nothing = TestingJob.run(settings(target), asReader);

        assertEquals(3, nothing.status(), nothing.out() + nothing.err());
        String selectChild = mayNotRead(reader, "child");
        assertEquals(List.of("the source user " + reader + " lacks USAGE on schema priv, which holds the selected tables"
                        + " [priv.child, priv.parent]: run GRANT USAGE ON SCHEMA \"priv\" TO \"" + reader + "\"",
                selectChild, mayNotRead(reader, "parent")), problems(nothing));
        assertEquals(before, snapshot(target));

        postgres.execute(source, "GRANT USAGE ON SCHEMA priv TO " + reader + "; GRANT SELECT ON priv.parent TO " + reader);
        TestingJob.Outcome oneTable = TestingJob.run(settings(target), asReader);

        assertEquals(3, oneTable.status(), oneTable.out() + oneTable.err());
        assertEquals(selectChild, error(oneTable));
        assertEquals(before, snapshot(target));

        postgres.execute(source, "GRANT SELECT ON priv.child TO " + reader);
        assertLoaded(target, TestingJob.run(settings(target), asReader));
    }

    /**
     * SELECT granted column by column reads a table as well as SELECT on it, when it covers every
     * column; short of that, preflight names the table.
     */
    @Test
    void selectOnEveryColumnReadsTheTableAndOneColumnShortIsRefused() {
        String target = postgres.createDatabase("priv_columns");
        String reader = sourceRole("c_" + target);
        postgres.execute(source, "GRANT USAGE ON SCHEMA priv TO " + reader + "; GRANT SELECT (parent_id, name, doc) ON priv.parent TO "
                + reader + "; GRANT SELECT (child_id, parent_id) ON priv.child TO " + reader);
        String before = snapshot(target);

        TestingJob.Outcome oneColumnShort = TestingJob.run(settings(target), asSourceUser(reader));

        assertEquals(3, oneColumnShort.status(), oneColumnShort.out() + oneColumnShort.err());
        assertEquals(mayNotRead(reader, "child"), error(oneColumnShort));
        assertEquals(before, snapshot(target));

        postgres.execute(source, "GRANT SELECT (note) ON priv.child TO " + reader);
        assertLoaded(target, TestingJob.run(settings(target), asSourceUser(reader)));
    }

    /** Page-range (ctid) reads need SELECT on the table: with column grants only, a table without a key is read whole. */
    @Test
    void aTableWithoutAKeyGrantedColumnByColumnIsReadInOnePartition() {
        String keyless = postgres.createDatabase("priv_ctid_src");
        String target = postgres.createDatabase("priv_ctid");
        String reader = sourceRole("k_" + target);
        postgres.execute(keyless, "CREATE TABLE public.keyless (a integer, b text);"
                + " INSERT INTO public.keyless SELECT g, repeat('x', 200) FROM generate_series(1, 4000) g; ANALYZE public.keyless;"
                + " GRANT SELECT (a, b) ON public.keyless TO " + reader);
        List<String> overrides = new ArrayList<>(List.of(asSourceUser(reader)));
        overrides.add("load.rows-per-partition=1000");
        TestingJob.Outcome outcome = TestingJob.run(TestingJob.settingsFile(directory, postgres, keyless, target,
                "fullload.tables.include = [\"public.keyless\"]"), overrides.toArray(String[]::new));

        assertEquals(0, outcome.status(), outcome.out() + outcome.err());
        assertEquals(Sql.checksum(postgres, keyless, "public.keyless"), Sql.checksum(postgres, target, "public.keyless"));
        assertEquals(1, ReportFile.read(outcome.report()).table("public.keyless").path("partitions").asInt());
    }

    /** A login role with no privileges yet, for the source side. */
    private static String sourceRole(String name) {
        postgres.execute("postgres", "CREATE ROLE " + name + " LOGIN PASSWORD '" + PASSWORD + "'");
        return name;
    }

    private static String[] asSourceUser(String role) {
        return new String[] {"source.user=" + role, "source.password=" + PASSWORD};
    }

    /** Preflight's refusal when the source user may not read priv.{@code table}. */
    private static String mayNotRead(String role, String table) {
        return "the source user " + role + " may not read table priv." + table + " (no SELECT privilege on it, nor on each of its"
                + " columns): run GRANT SELECT ON TABLE \"priv\".\"" + table + "\" TO \"" + role + "\" (or, on PostgreSQL 14 and"
                + " later, GRANT pg_read_all_data TO \"" + role + "\")";
    }

    /** A login role named after the target database, allowed to set the replica role (as PostgreSQL 15 and later allow). */
    private static String role(String target) {
        String role = "r_" + target;
        postgres.execute("postgres", "CREATE ROLE " + role + " LOGIN PASSWORD '" + PASSWORD + "';"
                + " GRANT SET ON PARAMETER session_replication_role TO " + role);
        return role;
    }

    private Path settings(String target) {
        return TestingJob.settingsFile(directory, postgres, source, target, "fullload.tables.include = [\"priv.%\"]");
    }

    private TestingJob.Outcome runAs(String target, String role, String... overrides) {
        List<String> all = new ArrayList<>(List.of("target.user=" + role, "target.password=" + PASSWORD));
        all.addAll(List.of(overrides));
        return TestingJob.run(settings(target), all.toArray(String[]::new));
    }

    private static String error(TestingJob.Outcome outcome) {
        return ReportFile.read(outcome.report()).error();
    }

    private static List<String> problems(TestingJob.Outcome outcome) {
        List<String> problems = new ArrayList<>();
        ReportFile.read(outcome.report()).root().path("problems").forEach(problem -> problems.add(problem.asText()));
        return problems;
    }

    private void assertLoaded(String target, TestingJob.Outcome outcome) {
        assertEquals(0, outcome.status(), outcome.out() + outcome.err());
        for (String table : TABLES) {
            assertEquals(Sql.checksum(postgres, source, table), Sql.checksum(postgres, target, table), table);
        }
    }

    /** Schemas, relations with their kind, owner and oid, and the rows of the tables: what a refused run must leave alone. */
    private static String snapshot(String target) {
        List<String> lines = new ArrayList<>(Sql.column(postgres, target, """
                SELECT 'schema ' || nspname || ' ' || pg_get_userbyid(nspowner) FROM pg_namespace
                WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' ORDER BY 1"""));
        lines.addAll(Sql.column(postgres, target, """
                SELECT n.nspname || '.' || c.relname || ' ' || c.relkind::text || ' ' || pg_get_userbyid(c.relowner) || ' ' || c.oid
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema' ORDER BY 1"""));
        for (String table : Sql.column(postgres, target, """
                SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables
                WHERE schemaname NOT LIKE 'pg\\_%' AND schemaname <> 'information_schema' ORDER BY 1""")) {
            lines.add(table + " " + Sql.checksum(postgres, target, table));
        }
        lines.addAll(Sql.column(postgres, target, "SELECT 'grant ' || privilege_type || ' ' || table_schema || '.' || table_name"
                + " || ' ' || grantee FROM information_schema.role_table_grants WHERE table_schema = 'priv' ORDER BY 1"));
        return String.join("\n", lines);
    }
}
