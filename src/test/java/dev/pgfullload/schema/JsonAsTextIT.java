package dev.pgfullload.schema;

import dev.pgfullload.testing.Sql;
import dev.pgfullload.testing.TestingJob;
import dev.pgfullload.testing.TestingPostgreSQL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** transform.json-as-text: json and jsonb columns become text columns holding exactly the source's text. */
class JsonAsTextIT {

    private static final TestingPostgreSQL postgres = TestingPostgreSQL.shared();

    /** Standard-conforming strings: a backslash in these literals is a JSON escape, not an SQL one. */
    private static final String SOURCE = """
            CREATE SCHEMA docs;
            CREATE TABLE docs.doc (id integer PRIMARY KEY, j json, jb jsonb);
            INSERT INTO docs.doc VALUES
              (1, '{"a": 1,   "b" : [1,2,  3]}', '{"a": 1,   "b" : [1,2,  3]}'),
              (2, ('{' || chr(10) || chr(9) || '"x" : "tab\\tq\\"b\\\\s\\/" ,' || chr(13) || chr(10) || '  "u": "\\u00e9\\ud83d\\ude00"}')::json,
                  ('{' || chr(10) || chr(9) || '"x" : "tab\\tq\\"b\\\\s\\/" ,' || chr(13) || chr(10) || '  "u": "\\u00e9\\ud83d\\ude00"}')::jsonb),
              (3, '{"a":1,"a":2}', '{"a":1,"a":2}'),
              (4, 'null', 'null'),
              (5, NULL, NULL),
              (6, '"\\u0000 is kept as an escape"', '"plain"'),
              (7, '{"ü" : "日本語 😀", "n": 123.4500, "e": 1E+2, "t": true}', '{"ü" : "日本語 😀", "n": 123.4500, "e": 1E+2, "t": true}'),
              (8, '[ ]', '{}'),
              (9, '  "leading and trailing whitespace"  ', '  "leading and trailing whitespace"  ');
            -- Larger than one COPY flush (256 KiB), with newlines between elements.
            INSERT INTO docs.doc
            SELECT 10, ('[' || string_agg(format('{"i": %s,  "s": "%s\\n"}', i, repeat('é', 40)), E',\\n ') || ']')::json,
                   ('[' || string_agg(format('{"i": %s,  "s": "%s\\n"}', i, repeat('é', 40)), E',\\n ') || ']')::jsonb
            FROM generate_series(1, 4000) i;
            """;

    private static String source;

    @TempDir
    Path directory;

    @BeforeAll
    static void createSource() {
        source = postgres.createDatabase("json_src");
        postgres.execute(source, SOURCE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"DROP_AND_CREATE", "DO_NOTHING"})
    void jsonAndJsonbArriveAsTheSourcesText(String prepMode) {
        String target = postgres.createDatabase("json_dst");

        TestingJob.Outcome outcome = TestingJob.run(TestingJob.settingsFile(directory, postgres, source, target,
                "fullload.tables.include = [\"docs.%\"]"), "load.target-table-prep-mode=" + prepMode);

        assertEquals(0, outcome.status(), outcome.out() + outcome.err());
        assertEquals(List.of("id:integer", "j:text", "jb:text"), Sql.column(postgres, target, """
                SELECT column_name || ':' || data_type FROM information_schema.columns
                WHERE table_schema = 'docs' AND table_name = 'doc' ORDER BY ordinal_position"""));
        List<String> ids = Sql.column(postgres, source, "SELECT id FROM docs.doc ORDER BY id");
        assertEquals(ids, Sql.column(postgres, target, "SELECT id FROM docs.doc ORDER BY id"));
        for (String column : List.of("j", "jb")) {
            List<String> expected = Sql.column(postgres, source, "SELECT " + column + "::text FROM docs.doc ORDER BY id");
            List<String> actual = Sql.column(postgres, target, "SELECT " + column + " FROM docs.doc ORDER BY id");
            for (int i = 0; i < ids.size(); i++) {
                assertEquals(expected.get(i), actual.get(i), column + " of id " + ids.get(i));
            }
            assertEquals(expected.size(), actual.size());
        }
        // json keeps its text as written: whitespace, escapes, duplicate keys; jsonb is the normalized text.
        assertEquals("{\"a\": 1,   \"b\" : [1,2,  3]}", json(target, "j", 1));
        assertEquals("{\"a\": 1, \"b\": [1, 2, 3]}", json(target, "jb", 1));
        assertEquals("{\n\t\"x\" : \"tab\\tq\\\"b\\\\s\\/\" ,\r\n  \"u\": \"\\u00e9\\ud83d\\ude00\"}", json(target, "j", 2));
        assertEquals("{\"u\": \"é😀\", \"x\": \"tab\\tq\\\"b\\\\s/\"}", json(target, "jb", 2));
        assertEquals("{\"a\":1,\"a\":2}", json(target, "j", 3));
        assertEquals("{\"a\": 2}", json(target, "jb", 3));
        assertEquals("null", json(target, "j", 4));
        assertEquals("t", Sql.scalar(postgres, target, "SELECT j IS NULL AND jb IS NULL FROM docs.doc WHERE id = 5"));
        assertEquals("\"\\u0000 is kept as an escape\"", json(target, "j", 6));
        assertEquals("  \"leading and trailing whitespace\"  ", json(target, "j", 9));
        assertTrue(json(target, "j", 10).length() > 256 * 1024 / 2, "the large document is smaller than intended");
    }

    private static String json(String database, String column, int id) {
        return Sql.scalar(postgres, database, "SELECT " + column + " FROM docs.doc WHERE id = " + id);
    }
}
