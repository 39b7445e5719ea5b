package dev.pgfullload.schema;

import dev.pgfullload.testing.Sql;
import dev.pgfullload.testing.TestingJob;
import dev.pgfullload.testing.TestingPostgreSQL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static dev.pgfullload.schema.Identifiers.quote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Names PostgreSQL allows but tools often break: mixed case, spaces, double and single quotes,
 * reserved words, non-ASCII (Pagila's dotless "bıgınt"), emoji, and names at exactly the 63-byte
 * limit, ASCII and multi-byte; with a primary key, an index and a foreign key among them.
 */
class IdentifiersIT {

    static final String MIXED = "MixedCase";
    static final String SPACED = "with space";
    static final String PARENT = "Parent \"Table\" 'x'";
    static final String CHILD = "select";
    /** 63 bytes, ASCII, mixed case. */
    static final String ASCII_63_TABLE = exactly("Table_", "AbCdEfGhIj", 63);
    static final String ASCII_63_COLUMN = exactly("Column_", "KlMnOpQrSt", 63);
    /** 63 bytes of two- and four-byte characters (and one ASCII letter to make the count). */
    static final String MULTIBYTE_63_TABLE = exactly("Täble_😀_", "ÄÖÜ", 63);
    static final String MULTIBYTE_63_COLUMN = exactly("Ünïcødé_", "ÆØÅ", 63);

    private static final TestingPostgreSQL POSTGRES = TestingPostgreSQL.shared();

    /** Every table of the source: (schema, table) as quoted SQL names. */
    private static final List<String> TABLES = List.of(
            quote(MIXED) + "." + quote(PARENT),
            quote(SPACED) + "." + quote(CHILD),
            "public." + quote(ASCII_63_TABLE),
            "public." + quote(MULTIBYTE_63_TABLE));

    private static String source;

    @TempDir
    Path directory;

    @BeforeAll
    static void createSource() {
        source = POSTGRES.createDatabase("names_src");
        String parent = quote(MIXED) + "." + quote(PARENT);
        POSTGRES.execute(source, """
                CREATE SCHEMA %1$s;
                CREATE SCHEMA %2$s;
                CREATE DOMAIN %1$s."bıgınt" AS bigint CHECK (VALUE >= 0);
                CREATE TYPE %1$s."Mood" AS ENUM ('Happy', 'SAD', 'it''s "OK"');
                CREATE TABLE %3$s (
                    "Id" bigserial PRIMARY KEY,
                    "with space" text,
                    "a""b" text,
                    "it's" text,
                    "select" integer,
                    "from" text,
                    "order" integer,
                    "user" text,
                    "bıgınt" %1$s."bıgınt",
                    "😀 emoji" text,
                    %5$s text,
                    %6$s text,
                    "Mood" %1$s."Mood" DEFAULT 'Happy',
                    "Row Number" integer GENERATED ALWAYS AS IDENTITY
                );
                CREATE INDEX "Index ""quoted"" ü" ON %3$s ("with space", "a""b") WHERE "select" > 0;
                CREATE TABLE %2$s.%4$s (
                    "order" integer PRIMARY KEY,
                    "Parent Id" bigint REFERENCES %3$s ("Id"),
                    "user" text,
                    "bıgınt" %1$s."bıgınt"
                );
                CREATE TABLE public.%7$s (%5$s integer PRIMARY KEY, "bıgınt" text);
                CREATE TABLE public.%8$s (%6$s text, "Ä" integer);
                INSERT INTO %3$s VALUES
                    (1, 'a b', 'a"b', 'it''s', 1, 'from', 2, 'user', 3, '😀', 'ascii', 'ünïcødé', 'SAD'),
                    (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
                    (3, E'tab\\there', '"', '''', -1, '', 0, 'ı', 0, '𝄞', repeat('x', 1000), 'ÄÖÜ', 'it''s "OK"');
                INSERT INTO %2$s.%4$s VALUES (10, 1, 'one', 7), (20, 1, 'also one', NULL), (30, NULL, 'none', 9);
                INSERT INTO public.%7$s SELECT g, 'bıgınt ' || g FROM generate_series(1, 100) g;
                INSERT INTO public.%8$s VALUES ('Ä', 1), (NULL, 2);
                """.formatted(quote(MIXED), quote(SPACED), parent, quote(CHILD), quote(ASCII_63_COLUMN),
                quote(MULTIBYTE_63_COLUMN), quote(ASCII_63_TABLE), quote(MULTIBYTE_63_TABLE)));
        // PostgreSQL kept every name whole: none was cut at the limit.
        assertEquals(Stream.of(ASCII_63_TABLE, ASCII_63_COLUMN, MULTIBYTE_63_TABLE, MULTIBYTE_63_COLUMN).map(name -> name + " 63")
                .sorted().toList(), Sql.column(POSTGRES, source, """
                SELECT DISTINCT name || ' ' || octet_length(name) FROM (
                    SELECT relname::text AS name FROM pg_class WHERE relkind = 'r'
                    UNION ALL
                    SELECT attname::text FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid WHERE c.relkind = 'r') n
                WHERE octet_length(name) >= 63
                """).stream().sorted().toList());
    }

    @Test
    void preserveKeepsEveryNameExactly() {
        String target = POSTGRES.createDatabase("names_keep");
        TestingJob.Outcome outcome = load(target);
        assertEquals(0, outcome.status(), outcome.out() + outcome.err());

        List<String> sourceColumns = columns(source);
        assertEquals(sourceColumns, columns(target));
        assertTrue(sourceColumns.contains(String.join("|", MIXED, PARENT, "bıgınt")), sourceColumns.toString());
        assertTrue(sourceColumns.contains(String.join("|", "public", MULTIBYTE_63_TABLE, "Ä")), sourceColumns.toString());
        assertSameRows(target, UnaryOperator.identity());

        // The primary keys, the index and the foreign key, names and all; the domain with its check.
        assertEquals(definitions(source, INDEXES), definitions(target, INDEXES));
        assertEquals(definitions(source, CONSTRAINTS), definitions(target, CONSTRAINTS));
        assertEquals(3, definitions(target, CONSTRAINTS).stream().filter(definition -> definition.contains("PRIMARY KEY")).count());
        assertEquals(1, definitions(target, CONSTRAINTS).stream().filter(definition -> definition.contains("FOREIGN KEY")).count());
        assertEquals(definitions(source, DOMAINS), definitions(target, DOMAINS));
        assertEquals(definitions(source, TYPES), definitions(target, TYPES));
        assertEquals(definitions(source, SEQUENCES), definitions(target, SEQUENCES));

        // Keys continue past the loaded ones, through the serial's sequence and the identity column.
        assertEquals("4 4 Happy", Sql.scalar(POSTGRES, target, "INSERT INTO " + TABLES.get(0)
                + " (\"with space\") VALUES ('new') RETURNING \"Id\" || ' ' || \"Row Number\" || ' ' || \"Mood\""));
    }

    @Test
    void lowerCaseFoldsEveryName() {
        String target = POSTGRES.createDatabase("names_lower");
        TestingJob.Outcome outcome = load(target, "transform.identifier-case=LOWER");
        assertEquals(0, outcome.status(), outcome.out() + outcome.err());

        UnaryOperator<String> lower = name -> name.toLowerCase(Locale.ROOT);
        List<String> expected = columns(source).stream().map(lower).sorted().toList();
        assertEquals(expected, columns(target));
        assertTrue(expected.contains(String.join("|", "mixedcase", "parent \"table\" 'x'", "id")), expected.toString());
        assertTrue(expected.contains(String.join("|", "public", MULTIBYTE_63_TABLE.toLowerCase(Locale.ROOT), "ä")), expected.toString());
        assertSameRows(target, lower);

        // The keys, the index and the foreign key came along, their names and columns folded too.
        UnaryOperator<String> folded = definition -> definition.toLowerCase(Locale.ROOT).replace("\"", "");
        assertEquals(definitions(source, INDEXES).stream().map(folded).sorted().toList(),
                definitions(target, INDEXES).stream().map(folded).sorted().toList());
        assertEquals(definitions(source, CONSTRAINTS).stream().map(folded).sorted().toList(),
                definitions(target, CONSTRAINTS).stream().map(folded).sorted().toList());
        // Types and sequences are named by the same rule; enum labels are values and keep their case.
        assertEquals(definitions(source, TYPES).stream()
                .map(type -> lower.apply(type.substring(0, type.indexOf(' '))) + type.substring(type.indexOf(' '))).sorted().toList(),
                definitions(target, TYPES));
        assertTrue(definitions(target, TYPES).contains("mixedcase.mood e Happy,SAD,it's \"OK\""), definitions(target, TYPES).toString());
        assertEquals(definitions(source, SEQUENCES).stream().map(lower).sorted().toList(), definitions(target, SEQUENCES));
        assertEquals(2, definitions(target, SEQUENCES).size());
        assertEquals("4 4 Happy", Sql.scalar(POSTGRES, target, "INSERT INTO " + lower.apply(TABLES.get(0))
                + " (\"with space\") VALUES ('new') RETURNING id || ' ' || \"row number\" || ' ' || mood"));

        // Only folded names in the target: no schema of the source's spelling was made for a type either.
        assertEquals(List.of("mixedcase", "public", "with space"), Sql.column(POSTGRES, target,
                "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname NOT IN ('information_schema', 'fullload_control') ORDER BY 1"));
    }

    @Test
    void lowerCaseRefusesColumnsThatDifferOnlyByCase() {
        String clash = POSTGRES.createDatabase("names_clash");
        POSTGRES.execute(clash, """
                CREATE TABLE public.fine (id integer PRIMARY KEY);
                CREATE TABLE public."Accounts" ("Id" integer PRIMARY KEY, id text);
                INSERT INTO public.fine VALUES (1);
                INSERT INTO public."Accounts" VALUES (1, 'one');
                """);
        String target = POSTGRES.createDatabase("names_clash_dst");
        TestingJob.Outcome outcome = TestingJob.run(TestingJob.settingsFile(directory, POSTGRES, clash, target,
                "fullload.tables { \"include\" = [\"public.%\"] }"),
                "load.target-table-prep-mode=DROP_AND_CREATE", "transform.identifier-case=LOWER");
        assertEquals(3, outcome.status(), outcome.out() + outcome.err());
        assertTrue(outcome.out().contains("public.Accounts") && outcome.out().contains("two columns that become id"),
                outcome.out() + outcome.err());
        // Refused before anything was written: the target is as it was made.
        assertEquals(List.of(), Sql.column(POSTGRES, target, """
                SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
                """));
        assertEquals(List.of("public"), Sql.column(POSTGRES, target,
                "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'"));

        // The same source under PRESERVE loads both columns as they are.
        String preserved = POSTGRES.createDatabase("names_clash_keep");
        TestingJob.Outcome kept = TestingJob.run(TestingJob.settingsFile(directory, POSTGRES, clash, preserved,
                "fullload.tables { \"include\" = [\"public.%\"] }"), "load.target-table-prep-mode=DROP_AND_CREATE");
        assertEquals(0, kept.status(), kept.out() + kept.err());
        assertEquals(columns(clash), columns(preserved));
        assertEquals(Sql.checksum(POSTGRES, clash, "public.\"Accounts\""), Sql.checksum(POSTGRES, preserved, "public.\"Accounts\""));
    }

    private static final String INDEXES = """
            SELECT indexdef FROM pg_indexes WHERE schemaname NOT IN ('pg_catalog', 'information_schema', 'fullload_control')
            """;

    private static final String CONSTRAINTS = """
            SELECT n.nspname || '.' || c.relname || ' ' || con.conname || ' ' || pg_get_constraintdef(con.oid)
            FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'fullload_control') AND con.contype IN ('p', 'u', 'f', 'c')
            """;

    private static final String DOMAINS = """
            SELECT n.nspname || '.' || t.typname || ' ' || format_type(t.typbasetype, t.typtypmod) || ' ' || pg_get_constraintdef(con.oid)
            FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_constraint con ON con.contypid = t.oid
            WHERE t.typtype = 'd' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
            """;

    /** Enums and domains, with their labels or base type. */
    private static final String TYPES = """
            SELECT n.nspname || '.' || t.typname || ' ' || t.typtype::text || ' '
                   || coalesce((SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid),
                               format_type(t.typbasetype, t.typtypmod))
            FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE t.typtype IN ('d', 'e') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
            """;

    private static final String SEQUENCES = """
            SELECT schemaname || '.' || sequencename || ' ' || data_type::text FROM pg_sequences
            """;

    private TestingJob.Outcome load(String target, String... overrides) {
        String[] all = new String[overrides.length + 1];
        all[0] = "load.target-table-prep-mode=DROP_AND_CREATE";
        System.arraycopy(overrides, 0, all, 1, overrides.length);
        return TestingJob.run(TestingJob.settingsFile(directory, POSTGRES, source, target,
                "fullload.tables { \"include\" = [\"%.%\"] }"), all);
    }

    /** Every (schema, table, column) of the user's tables, joined by |, sorted in Java (not by the database's collation). */
    private static List<String> columns(String database) {
        return Sql.column(POSTGRES, database, """
                SELECT c.table_schema || '|' || c.table_name || '|' || c.column_name
                FROM information_schema.columns c JOIN information_schema.tables t
                  ON t.table_schema = c.table_schema AND t.table_name = c.table_name
                WHERE t.table_type = 'BASE TABLE' AND c.table_schema NOT IN ('pg_catalog', 'information_schema', 'fullload_control')
                """).stream().sorted().toList();
    }

    private static List<String> definitions(String database, String query) {
        return Sql.column(POSTGRES, database, query).stream().sorted().toList();
    }

    /** Each source table's rows equal the rows of the target table its name becomes. */
    private static void assertSameRows(String target, UnaryOperator<String> names) {
        for (String table : TABLES) {
            String targetTable = names.apply(table);
            String expected = Sql.checksum(POSTGRES, source, table);
            assertEquals(expected, Sql.checksum(POSTGRES, target, targetTable), table + " -> " + targetTable);
            assertTrue(!expected.startsWith("0:"), table);
        }
    }

    /** {@code prefix} padded with {@code filler}'s characters, then ASCII, to exactly {@code bytes} UTF-8 bytes. */
    static String exactly(String prefix, String filler, int bytes) {
        StringBuilder name = new StringBuilder(prefix);
        for (int i = 0; ; i = (i + 1) % filler.length()) {
            String next = name.toString() + filler.charAt(i);
            if (next.getBytes(StandardCharsets.UTF_8).length > bytes) {
                break;
            }
            name.append(filler.charAt(i));
        }
        for (char letter = 'a'; name.toString().getBytes(StandardCharsets.UTF_8).length < bytes; letter++) {
            name.append(letter);
        }
        assertEquals(bytes, name.toString().getBytes(StandardCharsets.UTF_8).length, name.toString());
        return name.toString();
    }
}
