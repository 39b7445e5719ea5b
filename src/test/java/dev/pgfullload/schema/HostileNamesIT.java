package dev.pgfullload.schema;

import dev.pgfullload.testing.Sql;
import dev.pgfullload.testing.TestingJob;
import dev.pgfullload.testing.TestingPostgreSQL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.pgfullload.schema.Identifiers.literal;
import static dev.pgfullload.schema.Identifiers.quote;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Names written to break SQL built by concatenation: a schema, tables, columns, an enum, an index and a
 * constraint named with double and single quotes, semicolons, backslashes and {@code "; DROP TABLE x; --}.
 * Loaded with DROP_AND_CREATE, then TRUNCATE_BEFORE_LOAD (by a role that is not a superuser, so the
 * privilege checks read these names too), then under DISABLE_TRIGGERS: every table round-trips, and the
 * target's other tables, each named x, are still there with their rows.
 */
class HostileNamesIT {

    static final String INJECTION = "\"; DROP TABLE x; --";
    static final String SCHEMA = "Sch\"ema; DROP TABLE x; --\\";
    static final String PARENT = INJECTION;
    static final String CHILD = "chi'ld\\" + INJECTION;
    static final String MOOD = "mood" + INJECTION;

    private static final TestingPostgreSQL postgres = TestingPostgreSQL.shared();

    private static final String PASSWORD = "Hostile-names-1";

    private static final List<String> TABLES = List.of(table(PARENT), table(CHILD));

    private static String source;
    private static String reader;

    @TempDir
    Path directory;

    @BeforeAll
    static void createSource() {
        source = postgres.createDatabase("hostile_src");
        String schema = quote(SCHEMA);
        String mood = schema + "." + quote(MOOD);
        String injected = quote(INJECTION + " col");
        String note = quote("note;--");
        String moodColumn = quote("mood'\\");
        String reference = quote("parent \"ref\"");
        // SQL text: standard_conforming_strings, so a backslash in '...' is itself; E'...' strings escape it.
        postgres.execute(source, String.join("\n",
                "CREATE TABLE public.x (keep integer);",
                "CREATE SCHEMA " + schema + ";",
                "CREATE TYPE " + mood + " AS ENUM ('a''b', 'c\\d', " + literal(INJECTION) + ");",
                "CREATE TABLE " + table(PARENT) + " (",
                "    " + quote("i\"d") + " integer PRIMARY KEY,",
                "    " + quote("a;b") + " text,",
                "    " + quote("c\\d") + " text NOT NULL,",
                "    " + injected + " text,",
                "    " + quote("\"quoted\"") + " jsonb,",
                "    " + quote("e\\\"") + " varchar(20));",
                "CREATE TABLE " + table(CHILD) + " (",
                "    " + injected + " bigserial PRIMARY KEY,",
                "    " + reference + " integer REFERENCES " + table(PARENT) + ",",
                "    " + note + " text CONSTRAINT " + quote("chk\\'" + INJECTION) + " CHECK (length(" + note + ") < 1000),",
                "    " + moodColumn + " " + mood + ");",
                "CREATE INDEX " + quote("idx" + INJECTION) + " ON " + table(CHILD) + " (" + note + ", " + moodColumn + ");",
                "INSERT INTO " + table(PARENT),
                "SELECT p, 'a;b ' || p, E'back\\\\slash \\t tab ' || p, " + literal(INJECTION) + " || p,",
                "       jsonb_build_object('k\"; --', E'v\\\\'''), E'e\\\\\"' || p",
                "FROM generate_series(1, 40) p;",
                "INSERT INTO " + table(CHILD) + " (" + reference + ", " + note + ", " + moodColumn + ")",
                "SELECT 1 + c % 40, E'note; DROP TABLE x; -- \\\\ '' \"' || c,",
                "       (ARRAY['a''b', 'c\\d', " + literal(INJECTION) + "])[1 + c % 3]::" + mood,
                "FROM generate_series(1, 500) c;"));
        reader = "reader_" + source;
        postgres.execute("postgres", "CREATE ROLE " + reader + " LOGIN PASSWORD '" + PASSWORD + "'; GRANT pg_read_all_data TO " + reader);
    }

    @Test
    void everyNameRoundTripsAndNothingElseIsTouched() {
        String target = postgres.createDatabase("hostile_dst");
        String writer = "writer_" + target;
        postgres.execute("postgres", "CREATE ROLE " + writer + " LOGIN PASSWORD '" + PASSWORD + "'; ALTER DATABASE " + target
                + " OWNER TO " + writer + "; GRANT SET ON PARAMETER session_replication_role TO " + writer);
        postgres.execute(target, "CREATE TABLE public.x (keep integer); INSERT INTO public.x VALUES (1)");
        String[] asRoles = {"source.user=" + reader, "source.password=" + PASSWORD, "target.user=" + writer,
                "target.password=" + PASSWORD, "validation.mode=CHECKSUM"};

        TestingJob.Outcome created = run(target, asRoles, "load.target-table-prep-mode=DROP_AND_CREATE");

        assertEquals(0, created.status(), created.out() + created.err());
        assertRoundTrip(target);
        assertEquals(List.of("x"), Sql.column(postgres, target, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"));
        assertEquals("1", Sql.scalar(postgres, target, "SELECT keep FROM public.x"));
        assertEquals(List.of("idx" + INJECTION), Sql.column(postgres, target, "SELECT indexname FROM pg_indexes WHERE schemaname = "
                + literal(SCHEMA) + " AND indexname LIKE 'idx%'"));
        // A table x in the hostile schema itself, which only the target has.
        postgres.execute(target, "CREATE TABLE " + quote(SCHEMA) + ".x (keep integer); INSERT INTO " + quote(SCHEMA) + ".x VALUES (2)");

        TestingJob.Outcome truncated = run(target, asRoles, "load.target-table-prep-mode=TRUNCATE_BEFORE_LOAD");

        assertEquals(0, truncated.status(), truncated.out() + truncated.err());
        assertRoundTrip(target);
        assertEquals("1", Sql.scalar(postgres, target, "SELECT keep FROM public.x"));
        assertEquals("2", Sql.scalar(postgres, target, "SELECT keep FROM " + quote(SCHEMA) + ".x"));

        TestingJob.Outcome disabled = run(target, new String[] {"validation.mode=CHECKSUM"},
                "load.target-table-prep-mode=TRUNCATE_BEFORE_LOAD", "load.trigger-mode=DISABLE_TRIGGERS");

        assertEquals(0, disabled.status(), disabled.out() + disabled.err());
        assertRoundTrip(target);
        assertEquals("1", Sql.scalar(postgres, target, "SELECT keep FROM public.x"));
        assertEquals("2", Sql.scalar(postgres, target, "SELECT keep FROM " + quote(SCHEMA) + ".x"));
        assertEquals(0, Sql.count(postgres, target, "SELECT count(*) FROM pg_trigger WHERE NOT tgenabled = 'O'"),
                "a trigger was left disabled");
        // A part with a double quote is quoted in the control tables' names, so no two tables share one.
        assertEquals(List.of(quote(SCHEMA) + "." + quote(PARENT), quote(SCHEMA) + "." + quote(CHILD)), Sql.column(postgres, target,
                "SELECT DISTINCT target_table COLLATE \"C\" FROM fullload_control.tables ORDER BY 1"));
    }

    /**
     * "a.b".c and a."b.c" read alike as schema.table: each must keep its own control records, or the
     * second would find the first's partition committed and load nothing (validation off, so nothing
     * else would notice).
     */
    @Test
    void tablesWhoseNamesDifferOnlyInWhereTheDotFallsEachKeepTheirRows() {
        String dottedSource = postgres.createDatabase("dotted_src");
        String dottedTarget = postgres.createDatabase("dotted_dst");
        postgres.execute(dottedSource, String.join("\n",
                "CREATE SCHEMA \"a.b\"; CREATE SCHEMA a;",
                "CREATE TABLE \"a.b\".c (id integer PRIMARY KEY, tag text);",
                "CREATE TABLE a.\"b.c\" (id integer PRIMARY KEY, tag text);",
                "INSERT INTO \"a.b\".c SELECT g, 'schema a.b' FROM generate_series(1, 3) g;",
                "INSERT INTO a.\"b.c\" SELECT g, 'table b.c' FROM generate_series(1, 5) g;"));
        TestingJob.Outcome outcome = TestingJob.run(TestingJob.settingsFile(directory, postgres, dottedSource, dottedTarget,
                "fullload.tables.include = [\"a%.%\"]"), "load.target-table-prep-mode=DROP_AND_CREATE", "validation.mode=NONE");

        assertEquals(0, outcome.status(), outcome.out() + outcome.err());
        assertEquals(List.of("1|schema a.b", "2|schema a.b", "3|schema a.b"), Sql.column(postgres, dottedTarget,
                "SELECT id || '|' || tag FROM \"a.b\".c ORDER BY id"));
        assertEquals(5, Sql.count(postgres, dottedTarget, "SELECT count(*) FROM a.\"b.c\" WHERE tag = 'table b.c'"));
        assertEquals(List.of("\"a.b\".c|3", "a.\"b.c\"|5"), Sql.column(postgres, dottedTarget,
                "SELECT target_table || '|' || rows FROM fullload_control.tables ORDER BY target_table COLLATE \"C\""));
    }

    private TestingJob.Outcome run(String target, String[] common, String... overrides) {
        String[] all = new String[common.length + overrides.length];
        System.arraycopy(common, 0, all, 0, common.length);
        System.arraycopy(overrides, 0, all, common.length, overrides.length);
        // The schema name has a backslash, which a pattern escapes; its other characters match as they are.
        return TestingJob.run(TestingJob.settingsFile(directory, postgres, source, target, "fullload.tables.include = [\"Sch%.%\"]"),
                all);
    }

    private static void assertRoundTrip(String target) {
        for (String table : TABLES) {
            assertEquals(Sql.checksum(postgres, source, table), Sql.checksum(postgres, target, table), table);
        }
        assertEquals(List.of("40", "500"), List.of(Sql.scalar(postgres, target, "SELECT count(*) FROM " + TABLES.get(0)),
                Sql.scalar(postgres, target, "SELECT count(*) FROM " + TABLES.get(1))));
    }

    private static String table(String name) {
        return quote(SCHEMA) + "." + quote(name);
    }
}
