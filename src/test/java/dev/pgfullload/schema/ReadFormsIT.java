package dev.pgfullload.schema;

import dev.pgfullload.testing.Sql;
import dev.pgfullload.testing.TestingJob;
import dev.pgfullload.testing.TestingPostgreSQL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Columns whose form on the way matters: values that name catalog objects (their binary form is an OID
 * of the source), json arrays that become text arrays, a type with no binary form, a table with no
 * columns; and Spark's JDBC read method on tables split by numeric, date/time and page ranges.
 */
class ReadFormsIT {

    private static final String SOURCE_SQL = """
            CREATE SCHEMA forms;
            CREATE TYPE forms.mood AS ENUM ('sad', 'happy');
            -- The target has the objects the values name: the table and, through its column, the type.
            CREATE TABLE forms.referenced (id integer PRIMARY KEY, m forms.mood);
            -- Every column binary-portable but the ones under test, so the table would travel by binary COPY.
            CREATE TABLE forms.refs (id integer PRIMARY KEY, rc regclass, rt regtype, rn regnamespace, a_rc regclass[]);
            INSERT INTO forms.refs VALUES (1, 'forms.referenced', 'forms.mood', 'forms', '{forms.referenced,forms.refs}'),
                                          (2, NULL, NULL, NULL, NULL);
            CREATE TABLE forms.json_arrays (id integer PRIMARY KEY, a_json json[], a_jsonb jsonb[], a_2d jsonb[]);
            INSERT INTO forms.json_arrays VALUES
                (1, ARRAY['{"a":  1}'::json, '[]'], ARRAY['{"b": [1, 2]}'::jsonb, 'null'], ARRAY[ARRAY['1'::jsonb, '"x"'::jsonb], ARRAY['{}'::jsonb, '[]'::jsonb]]),
                (2, '{}', '{}', '{}'),
                (3, ARRAY[NULL::json], ARRAY[NULL::jsonb, '"é\\\\"'], NULL);
            CREATE TABLE forms.acl (id integer PRIMARY KEY, ac aclitem);
            INSERT INTO forms.acl VALUES (1, 'postgres=arwdDxt/postgres'), (2, NULL);
            CREATE TABLE forms.no_columns ();
            INSERT INTO forms.no_columns DEFAULT VALUES;
            INSERT INTO forms.no_columns DEFAULT VALUES;
            INSERT INTO forms.no_columns DEFAULT VALUES;
            CREATE TABLE forms.by_numeric (k numeric PRIMARY KEY, v integer);
            INSERT INTO forms.by_numeric SELECT g / 1000.0, g FROM generate_series(1, 4000) g;
            CREATE TABLE forms.by_date (k date PRIMARY KEY, v integer);
            INSERT INTO forms.by_date SELECT date '2000-01-01' + g, g FROM generate_series(1, 4000) g;
            CREATE TABLE forms.by_page (k text PRIMARY KEY, v integer);
            INSERT INTO forms.by_page SELECT md5(g::text), g FROM generate_series(1, 4000) g;
            ANALYZE;
            """;

    private static final TestingPostgreSQL POSTGRES = TestingPostgreSQL.shared();
    private static String source;

    @TempDir
    Path directory;

    @BeforeAll
    static void createSource() {
        source = POSTGRES.createDatabase("forms_src");
        POSTGRES.execute(source, SOURCE_SQL);
    }

    @Test
    void catalogReferencesJsonArraysTypesWithoutABinaryFormAndTablesWithoutColumnsArriveExactly() {
        String target = POSTGRES.createDatabase("forms_dc");
        TestingJob.Outcome outcome = TestingJob.run(TestingJob.settingsFile(directory, POSTGRES, source, target,
                "fullload.tables { \"include\" = [\"forms.referenced\", \"forms.refs\", \"forms.json_arrays\", \"forms.acl\","
                        + " \"forms.no_columns\"] }"));
        assertEquals(0, outcome.status(), outcome.out() + outcome.err());

        // The names, looked up again in the target, not the source's OIDs.
        assertEquals(List.of("1|forms.referenced|forms.mood|forms|{forms.referenced,forms.refs}", "2"),
                Sql.column(POSTGRES, target, "SELECT concat_ws('|', id, rc, rt, rn, a_rc) FROM forms.refs ORDER BY id"));
        assertEquals(1, Sql.count(POSTGRES, target,
                "SELECT count(*) FROM forms.refs WHERE rc = 'forms.referenced'::regclass AND rt = 'forms.mood'::regtype"));

        // json[] and jsonb[] become text[], each element the source's text of it (json as written, jsonb normalised).
        assertEquals("text[]|text[]|text[]", Sql.scalar(POSTGRES, target, """
                SELECT string_agg(format_type(atttypid, atttypmod), '|' ORDER BY attnum) FROM pg_attribute
                WHERE attrelid = 'forms.json_arrays'::regclass AND attname LIKE 'a\\_%'"""));
        List<String> expected = Sql.column(POSTGRES, source,
                "SELECT concat_ws('|', id, a_json::text[], a_jsonb::text[], a_2d::text[]) FROM forms.json_arrays ORDER BY id");
        assertEquals(expected, Sql.column(POSTGRES, target,
                "SELECT concat_ws('|', id, a_json, a_jsonb, a_2d) FROM forms.json_arrays ORDER BY id"));

        // aclitem has no binary form.
        assertEquals(List.of("1|postgres=arwdDxt/postgres", "2"),
                Sql.column(POSTGRES, target, "SELECT concat_ws('|', id, ac) FROM forms.acl ORDER BY id"));

        // A table of no columns keeps its rows.
        assertEquals(3, Sql.count(POSTGRES, target, "SELECT count(*) FROM forms.no_columns"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"COPY", "JDBC"})
    void tablesSplitOnNumericAndDateKeysOrByPagesLoadEveryRowOnceWithEitherReadMethod(String method) {
        String target = POSTGRES.createDatabase("forms_split");
        TestingJob.Outcome outcome = TestingJob.run(TestingJob.settingsFile(directory, POSTGRES, source, target,
                "fullload.tables { \"include\" = [\"forms.by_%\"] }"), "source.read-method=" + method, "load.rows-per-partition=1000");
        assertEquals(0, outcome.status(), outcome.out() + outcome.err());
        for (String table : List.of("forms.by_numeric", "forms.by_date", "forms.by_page")) {
            assertEquals(Sql.checksum(POSTGRES, source, table), Sql.checksum(POSTGRES, target, table), table);
            assertEquals(4000, Sql.count(POSTGRES, target, "SELECT count(DISTINCT v) FROM " + table), table);
        }
        // Each was read in several partitions.
        assertEquals(3, Sql.count(POSTGRES, target,
                "SELECT count(DISTINCT target_table) FROM fullload_control.partitions WHERE partition > 0"));
    }
}
