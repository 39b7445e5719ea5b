package dev.pgfullload.schema;

import dev.pgfullload.testing.ReportFile;
import dev.pgfullload.testing.Sql;
import dev.pgfullload.testing.TestingJob;
import dev.pgfullload.testing.TestingPostgreSQL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DROP_AND_CREATE recreates what the source's definitions say, or refuses before writing anything when
 * the target cannot have it: domains over arrays, NOT VALID constraints, collations. Every test has a
 * source and a target of its own.
 */
class SourceDefinitionsIT {

    private static final TestingPostgreSQL postgres = TestingPostgreSQL.shared();

    @TempDir
    Path directory;

    @Test
    void aDomainOverAnArrayIsCreatedBeforeItsTable() {
        String source = source("""
                CREATE DOMAIN intarr AS int[] CHECK (cardinality(VALUE) < 10);
                CREATE TABLE r.t (id int PRIMARY KEY, dia intarr);
                INSERT INTO r.t VALUES (1, '{1,2}'), (2, '{}'), (3, NULL);
                """);
        String target = postgres.createDatabase("defs_domarr_dst");

        TestingJob.Outcome outcome = load(source, target);

        assertEquals(0, outcome.status(), outcome.out() + outcome.err());
        assertEquals(List.of("1 {1,2}", "2 {}", "3 null"), Sql.column(postgres, target,
                "SELECT id || ' ' || coalesce(dia::text, 'null') FROM r.t ORDER BY id"));
        assertEquals("public.intarr integer[] CHECK ((cardinality(VALUE) < 10))", Sql.scalar(postgres, target, """
                SELECT t.typnamespace::regnamespace || '.' || t.typname || ' ' || format_type(t.typbasetype, t.typtypmod)
                       || ' ' || pg_get_constraintdef(c.oid)
                FROM pg_type t JOIN pg_constraint c ON c.contypid = t.oid WHERE t.typname = 'intarr'"""));
        assertEquals("t", Sql.scalar(postgres, target, "SELECT atttypid = 'public.intarr'::regtype FROM pg_attribute"
                + " WHERE attrelid = 'r.t'::regclass AND attname = 'dia'"));
    }

    @Test
    void aDomainCheckAddedNotValidComesAfterTheRowsThatBreakIt() {
        String source = source("""
                CREATE DOMAIN r.dnv AS int;
                CREATE TABLE r.t (id int PRIMARY KEY, v r.dnv);
                CREATE TABLE r.u (id int PRIMARY KEY, v r.dnv);
                INSERT INTO r.t VALUES (1, -1), (2, 5);
                INSERT INTO r.u VALUES (1, -7);
                ALTER DOMAIN r.dnv ADD CONSTRAINT dnv_pos CHECK (VALUE > 0) NOT VALID;
                """);
        String target = postgres.createDatabase("defs_domnv_dst");

        TestingJob.Outcome outcome = load(source, target);

        assertEquals(0, outcome.status(), outcome.out() + outcome.err());
        assertEquals(List.of("1 -1", "2 5"), Sql.column(postgres, target, "SELECT id || ' ' || v FROM r.t ORDER BY id"));
        assertEquals(List.of("1 -7"), Sql.column(postgres, target, "SELECT id || ' ' || v FROM r.u ORDER BY id"));
        assertEquals("dnv_pos CHECK ((VALUE > 0)) NOT VALID false", Sql.scalar(postgres, target,
                "SELECT conname || ' ' || pg_get_constraintdef(oid) || ' ' || convalidated FROM pg_constraint"
                        + " WHERE contypid = 'r.dnv'::regtype"));
        // It checks new values, as the source's does.
        IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> postgres.execute(target, "INSERT INTO r.t VALUES (3, -3)"));
        assertTrue(refused.getMessage().contains("violates check constraint \"dnv_pos\""), refused.getMessage());
    }

    @Test
    void aTableCheckAddedNotValidComesAfterTheRowsThatBreakIt() {
        String source = source("""
                CREATE TABLE r.nv (id int PRIMARY KEY, v int);
                INSERT INTO r.nv VALUES (1, -1), (2, 5);
                ALTER TABLE r.nv ADD CONSTRAINT v_pos CHECK (v > 0) NOT VALID;
                ALTER TABLE r.nv ADD CONSTRAINT v_small CHECK (v < 100);
                """);
        String target = postgres.createDatabase("defs_tabnv_dst");

        TestingJob.Outcome outcome = load(source, target);

        assertEquals(0, outcome.status(), outcome.out() + outcome.err());
        assertEquals(List.of("1 -1", "2 5"), Sql.column(postgres, target, "SELECT id || ' ' || v FROM r.nv ORDER BY id"));
        assertEquals(List.of("v_pos CHECK ((v > 0)) NOT VALID false", "v_small CHECK ((v < 100)) true"), Sql.column(postgres, target,
                "SELECT conname || ' ' || pg_get_constraintdef(oid) || ' ' || convalidated FROM pg_constraint"
                        + " WHERE conrelid = 'r.nv'::regclass AND contype = 'c' ORDER BY conname"));
    }

    @Test
    void columnCollationsArriveAndOneTheTargetLacksIsRefusedBeforeAnythingIsWritten() {
        String source = source("""
                CREATE COLLATION r.bytes FROM "C";
                -- A column may name the database's "default" over a domain of another collation.
                CREATE DOMAIN r.c_text AS text COLLATE "C";
                CREATE TABLE r.c (id int PRIMARY KEY, k text COLLATE "C", p text COLLATE "POSIX", u varchar(5) COLLATE "ucs_basic",
                                  plain text, b text[] COLLATE r.bytes, dd r.c_text COLLATE "default");
                INSERT INTO r.c VALUES (1, 'b', 'B', 'a', 'x', '{z,Y}', 'q'), (2, 'B', 'a', 'B', NULL, NULL, 'Q'), (3, 'a', 'A', 'b', 'y', '{}', NULL);
                """);
        String target = postgres.createDatabase("defs_coll_dst");

        TestingJob.Outcome checked = check(source, target);
        TestingJob.Outcome refused = load(source, target);

        String problem = "column b of table r.c has collation r.bytes, which the target database does not have: create it"
                + " there first (CREATE COLLATION \"r\".\"bytes\" (lc_collate = 'C', lc_ctype = 'C'), as the source has it),"
                + " or exclude the table";
        assertEquals(3, checked.status(), checked.out() + checked.err());
        assertTrue(checked.out().endsWith("1 problem found; the load would stop before writing anything (exit status 3)."
                + " Nothing was written.\n  - " + problem + "\n"), checked.out());
        assertEquals(3, refused.status(), refused.out() + refused.err());
        assertEquals(problem, error(refused));
        assertNothingWritten(target);

        postgres.execute(target, "CREATE SCHEMA r; CREATE COLLATION \"r\".\"bytes\" (lc_collate = 'C', lc_ctype = 'C')");
        TestingJob.Outcome outcome = load(source, target);

        assertEquals(0, outcome.status(), outcome.out() + outcome.err());
        assertEquals(List.of("k C", "p POSIX", "u ucs_basic", "plain default", "b bytes", "dd default"), Sql.column(postgres, target, """
                SELECT a.attname || ' ' || coalesce(co.collname, '?') FROM pg_attribute a
                LEFT JOIN pg_collation co ON co.oid = a.attcollation
                WHERE a.attrelid = 'r.c'::regclass AND a.attnum > 1 ORDER BY a.attnum"""));
        assertEquals(Sql.column(postgres, source, "SELECT c::text FROM r.c c ORDER BY id"),
                Sql.column(postgres, target, "SELECT c::text FROM r.c c ORDER BY id"));
        // Ordered by their own collations, byte order: upper case first.
        assertEquals(List.of("B", "a", "b"), Sql.column(postgres, target, "SELECT k FROM r.c ORDER BY k"));
    }

    @Test
    void aGeneratedColumnThatCallsAFunctionTheTargetLacksIsRefusedBeforeAnythingIsWritten() {
        String source = source("""
                CREATE FUNCTION r.dbl(int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT $1*2';
                CREATE TABLE r.g (id int PRIMARY KEY, a int, b int GENERATED ALWAYS AS (r.dbl(a)) STORED);
                CREATE TABLE r.other (id int PRIMARY KEY);
                INSERT INTO r.g (id, a) VALUES (1, 10), (2, NULL);
                """);
        String target = postgres.createDatabase("defs_genfn_dst");

        TestingJob.Outcome checked = check(source, target);
        TestingJob.Outcome refused = load(source, target);

        String problem = "generated column b of table r.g calls the function r.dbl(integer), which the target database does"
                + " not have (pg-fullload copies no functions): create it in the target first, with the same schema, name and"
                + " argument types, or exclude the table";
        assertEquals(3, checked.status(), checked.out() + checked.err());
        assertTrue(checked.out().endsWith("  - " + problem + "\n"), checked.out());
        assertEquals(3, refused.status(), refused.out() + refused.err());
        assertEquals(problem, error(refused));
        assertNothingWritten(target);

        // A function of another signature is not the one the column calls.
        postgres.execute(target, "CREATE SCHEMA r; CREATE FUNCTION r.dbl(bigint) RETURNS bigint LANGUAGE sql IMMUTABLE AS 'SELECT $1*2'");
        assertEquals(problem, error(load(source, target)));

        postgres.execute(target, "CREATE FUNCTION r.dbl(int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT $1*2'");
        TestingJob.Outcome outcome = load(source, target);

        assertEquals(0, outcome.status(), outcome.out() + outcome.err());
        assertEquals(List.of("1 10 20", "2 null null"), Sql.column(postgres, target,
                "SELECT id || ' ' || coalesce(a::text, 'null') || ' ' || coalesce(b::text, 'null') FROM r.g ORDER BY id"));
        assertEquals("r.dbl(a)", Sql.scalar(postgres, target,
                "SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = 'r.g'::regclass"));
    }

    @Test
    void rangeTypesAndTheirMultirangesAreCreatedWithTheirOptions() {
        String source = source("""
                CREATE TYPE r.floatrange AS RANGE (subtype = float8, subtype_diff = float8mi);
                CREATE TYPE r.textrange_c AS RANGE (subtype = text, collation = "C", multirange_type_name = r.textranges_c);
                CREATE TYPE r.patrange AS RANGE (subtype = text, subtype_opclass = text_pattern_ops);
                CREATE TABLE r.cr (id int PRIMARY KEY, fr r.floatrange, frm r.floatmultirange, fra r.floatrange[],
                                   tr r.textrange_c, trm r.textranges_c, pr r.patrange);
                INSERT INTO r.cr VALUES
                    (1, '[1.5,2.5)', '{[1,2),[3,4)}', '{"[1.5,2)","(,3]",NULL,empty}', '[B,a)', '{[B,a),[b,c]}', '[A,b)'),
                    (2, 'empty', '{}', '{}', NULL, NULL, NULL),
                    (3, NULL, NULL, NULL, 'empty', '{}', 'empty');
                """);
        String target = postgres.createDatabase("defs_range_dst");

        TestingJob.Outcome outcome = load(source, target);

        assertEquals(0, outcome.status(), outcome.out() + outcome.err());
        assertEquals(Sql.column(postgres, source, "SELECT c::text FROM r.cr c ORDER BY id"),
                Sql.column(postgres, target, "SELECT c::text FROM r.cr c ORDER BY id"));
        assertEquals(List.of("1 [1.5,2.5) {[1,2),[3,4)} {\"[1.5,2)\",\"(,3]\",NULL,empty} [B,a) {[B,a),[b,c]} [A,b)"),
                Sql.column(postgres, target, "SELECT concat_ws(' ', id, fr, frm, fra, tr, trm, pr) FROM r.cr WHERE id = 1"));
        String ranges = """
                SELECT rngtypid::regtype || ' ' || rngsubtype::regtype || ' ' || coalesce(co.collname, '-') || ' '
                       || opc.opcname || ' ' || rngsubdiff::regproc || ' ' || rngmultitypid::regtype
                FROM pg_range r JOIN pg_opclass opc ON opc.oid = r.rngsubopc LEFT JOIN pg_collation co ON co.oid = r.rngcollation
                WHERE rngtypid::regtype::text LIKE 'r.%' ORDER BY 1""";
        assertEquals(List.of("r.floatrange double precision - float8_ops float8mi r.floatmultirange",
                "r.patrange text default text_pattern_ops - r.patmultirange",
                "r.textrange_c text C text_ops - r.textranges_c"), Sql.column(postgres, target, ranges));
        assertEquals(Sql.column(postgres, source, ranges), Sql.column(postgres, target, ranges));
    }

    @Test
    void aRangeTypeWhoseFunctionTheTargetLacksIsRefusedBeforeAnythingIsWritten() {
        String source = source("""
                CREATE FUNCTION r.fdiff(float8, float8) RETURNS float8 LANGUAGE sql IMMUTABLE AS 'SELECT $1 - $2';
                CREATE TYPE r.udrange AS RANGE (subtype = float8, subtype_diff = r.fdiff);
                CREATE TABLE r.ud (id int PRIMARY KEY, x r.udrange, xm r.udmultirange);
                INSERT INTO r.ud VALUES (1, '[1,2)', '{[1,2),[5,6]}'), (2, NULL, NULL);
                """);
        String target = postgres.createDatabase("defs_rangefn_dst");

        TestingJob.Outcome checked = check(source, target);
        TestingJob.Outcome refused = load(source, target);

        String problem = "range r.udrange has the SUBTYPE_DIFF function r.fdiff(double precision, double precision), which the"
                + " target database does not have, and pg-fullload copies no functions: create the function and then the type in"
                + " the target first (a type the target has is used as it is), or exclude the tables that use it (r.ud)";
        assertEquals(3, checked.status(), checked.out() + checked.err());
        assertTrue(checked.out().endsWith("  - " + problem + "\n"), checked.out());
        assertEquals(3, refused.status(), refused.out() + refused.err());
        assertEquals(problem, error(refused));
        assertNothingWritten(target);

        // With the function in the target, the type is created from the source's catalog.
        postgres.execute(target, "CREATE SCHEMA r;"
                + " CREATE FUNCTION r.fdiff(float8, float8) RETURNS float8 LANGUAGE sql IMMUTABLE AS 'SELECT $1 - $2'");
        TestingJob.Outcome outcome = load(source, target);

        assertEquals(0, outcome.status(), outcome.out() + outcome.err());
        assertEquals(List.of("1 [1,2) {[1,2),[5,6]}", "2"), Sql.column(postgres, target,
                "SELECT concat_ws(' ', id, x, xm) FROM r.ud ORDER BY id"));
        assertEquals("r.fdiff", Sql.scalar(postgres, target, "SELECT rngsubdiff::regproc::text FROM pg_range"
                + " WHERE rngtypid = 'r.udrange'::regtype"));
    }

    @Test
    void jsonAsTextRefusesIndexesChecksAndGeneratedColumnsThatNeedJsonAndKeepsThoseThatWorkOnText() {
        String source = source("""
                CREATE TABLE r.a (id int PRIMARY KEY, j json, jb jsonb, k text GENERATED ALWAYS AS (jb->>'k') STORED,
                                  CONSTRAINT j_has_k CHECK (j->>'k' IS NOT NULL));
                CREATE INDEX a_gin ON r.a USING gin (jb);
                CREATE INDEX a_k ON r.a ((jb->>'k'));
                CREATE INDEX a_path ON r.a USING gin (jb jsonb_path_ops);
                INSERT INTO r.a (id, j, jb) VALUES (1, '{"k": 1}', '{"k": "x"}');
                -- All of these work on text.
                CREATE TABLE r.b (id int PRIMARY KEY, j json, jb jsonb UNIQUE, jt text GENERATED ALWAYS AS (j::text) STORED,
                                  CONSTRAINT jb_set CHECK (jb IS NOT NULL));
                CREATE INDEX b_jb ON r.b USING hash (jb);
                CREATE UNIQUE INDEX b_j ON r.b ((j::text));
                CREATE INDEX b_some ON r.b (id) WHERE jb IS NOT NULL;
                INSERT INTO r.b (id, j, jb) VALUES (1, '{"a" : 1}', '{"a": 1}'), (2, '[]', '{}');
                """);
        String target = postgres.createDatabase("defs_json_dst");

        TestingJob.Outcome checked = check(source, target);
        TestingJob.Outcome refused = load(source, target);

        String change = ", which becomes text under transform.json-as-text, and would not work in the target (";
        String remedy = "): set transform.json-as-text = false to keep json and jsonb, or exclude the table";
        List<String> problems = List.of(
                "index a_gin of table r.a uses column jb" + change + "access method gin has no default operator class for text" + remedy,
                "index a_k of table r.a uses column jb" + change + "ERROR: operator does not exist: text ->> text" + remedy,
                "index a_path of table r.a uses column jb" + change + "its operator class jsonb_path_ops is for jsonb, not text" + remedy,
                "check constraint j_has_k of table r.a uses column j" + change + "ERROR: operator does not exist: text ->> text" + remedy,
                "generated column k of table r.a uses column jb" + change + "ERROR: operator does not exist: text ->> text" + remedy);
        assertEquals(3, checked.status(), checked.out() + checked.err());
        assertTrue(checked.out().endsWith("5 problems found; the load would stop before writing anything (exit status 3)."
                + " Nothing was written.\n  - " + String.join("\n  - ", problems) + "\n"), checked.out());
        assertEquals(3, refused.status(), refused.out() + refused.err());
        assertEquals("preflight found 5 problems; nothing was written:\n- " + String.join("\n- ", problems), error(refused));
        assertNothingWritten(target);

        TestingJob.Outcome asJson = load(source, target, "transform.json-as-text=false");

        assertEquals(0, asJson.status(), asJson.out() + asJson.err());
        assertEquals(List.of("r.a_gin", "r.a_k", "r.a_path", "r.a_pkey"), Sql.column(postgres, target,
                "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = 'r.a'::regclass ORDER BY 1"));

        String textTarget = postgres.createDatabase("defs_jsontext_dst");
        TestingJob.Outcome asText = load(source, textTarget, "tables.exclude=[\"r.a\"]");

        assertEquals(0, asText.status(), asText.out() + asText.err());
        assertEquals(List.of("1 {\"a\" : 1} {\"a\": 1} {\"a\" : 1}", "2 [] {} []"), Sql.column(postgres, textTarget,
                "SELECT concat_ws(' ', id, j, jb, jt) FROM r.b ORDER BY id"));
        assertEquals(List.of("j:text", "jb:text", "jt:text"), Sql.column(postgres, textTarget, """
                SELECT column_name || ':' || data_type FROM information_schema.columns
                WHERE table_schema = 'r' AND table_name = 'b' AND column_name LIKE 'j%' ORDER BY ordinal_position"""));
        assertEquals(List.of("r.b_j", "r.b_jb", "r.b_jb_key", "r.b_pkey", "r.b_some"), Sql.column(postgres, textTarget,
                "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = 'r.b'::regclass ORDER BY 1"));
        assertEquals(List.of("jb_set"), Sql.column(postgres, textTarget,
                "SELECT conname FROM pg_constraint WHERE conrelid = 'r.b'::regclass AND contype = 'c'"));
    }

    @Test
    void jsonAsTextNamesAPartitionedTablesIndexAndCheckOnceNotOncePerPartition() {
        String source = source("""
                CREATE TABLE r.p (id int, jb jsonb, k text GENERATED ALWAYS AS (jb->>'k') STORED,
                                  CONSTRAINT p_has_k CHECK (jb->>'k' IS NOT NULL)) PARTITION BY RANGE (id);
                CREATE TABLE r.p1 PARTITION OF r.p FOR VALUES FROM (0) TO (10);
                CREATE TABLE r.p2 PARTITION OF r.p FOR VALUES FROM (10) TO (20);
                CREATE INDEX p_gin ON r.p USING gin (jb);
                INSERT INTO r.p (id, jb) VALUES (1, '{"k": 1}'), (11, '{"k": 2}');
                """);
        String target = postgres.createDatabase("defs_jsonpart_dst");

        TestingJob.Outcome refused = load(source, target);

        String change = ", which becomes text under transform.json-as-text, and would not work in the target (";
        String remedy = "): set transform.json-as-text = false to keep json and jsonb, or exclude the table";
        assertEquals(3, refused.status(), refused.out() + refused.err());
        assertEquals("preflight found 3 problems; nothing was written:"
                + "\n- index p_gin of table r.p uses column jb" + change + "access method gin has no default operator class for text" + remedy
                + "\n- check constraint p_has_k of table r.p uses column jb" + change + "ERROR: operator does not exist: text ->> text" + remedy
                + "\n- generated column k of table r.p uses column jb" + change + "ERROR: operator does not exist: text ->> text" + remedy,
                error(refused));
        assertNothingWritten(target);
    }

    @Test
    void extensionTypesAsTextRefusesAnIndexThatNeedsTheExtensionsType() {
        String source = source("""
                CREATE EXTENSION hstore;
                CREATE TABLE r.h (id int PRIMARY KEY, h hstore);
                CREATE INDEX h_gin ON r.h USING gin (h);
                INSERT INTO r.h VALUES (1, 'a=>1');
                """);
        String target = postgres.createDatabase("defs_ext_dst");

        TestingJob.Outcome refused = load(source, target, "transform.extension-types-as-text=true");

        assertEquals(3, refused.status(), refused.out() + refused.err());
        assertEquals("index h_gin of table r.h uses column h, which becomes text under transform.extension-types-as-text, and"
                + " would not work in the target (access method gin has no default operator class for text): run CREATE EXTENSION"
                + " hstore in the target so the column keeps its type, or exclude the table", error(refused));
        assertNothingWritten(target);
    }

    /** A source database with schema r and {@code sql} run in it. */
    private static String source(String sql) {
        String source = postgres.createDatabase("defs_src");
        postgres.execute(source, "CREATE SCHEMA r;\n" + sql);
        return source;
    }

    private TestingJob.Outcome load(String source, String target, String... overrides) {
        return run(source, target, List.of(), overrides);
    }

    private TestingJob.Outcome check(String source, String target, String... overrides) {
        return run(source, target, List.of("--check"), overrides);
    }

    private TestingJob.Outcome run(String source, String target, List<String> first, String... overrides) {
        List<String> arguments = new java.util.ArrayList<>(first);
        arguments.addAll(List.of("--set", "load.target-table-prep-mode=DROP_AND_CREATE"));
        for (String override : overrides) {
            arguments.addAll(List.of("--set", override));
        }
        return TestingJob.runArguments(TestingJob.settingsFile(directory, postgres, source, target,
                "fullload.tables.include = [\"r.%\"]"), arguments.toArray(String[]::new));
    }

    private static String error(TestingJob.Outcome outcome) {
        return ReportFile.read(outcome.report()).error();
    }

    private static void assertNothingWritten(String target) {
        assertEquals(0, Sql.count(postgres, target, "SELECT count(*) FROM pg_namespace WHERE nspname IN ('r', 'fullload_control')"));
    }
}
