package dev.pgfullload.schema;

import dev.pgfullload.testing.Sql;
import dev.pgfullload.testing.TestingJob;
import dev.pgfullload.testing.TestingPostgreSQL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A column of every type pg-fullload promises to carry exactly, rows of edge values, loaded in each
 * preparation mode and compared to the source column by column with IS NOT DISTINCT FROM.
 */
class TypeMatrixIT {

    static final String SCHEMA_SQL = """
            CREATE SCHEMA matrix;
            CREATE TYPE matrix.mood AS ENUM ('sad', 'ok', 'happy', 'it''s "complicated"');
            CREATE DOMAIN matrix.posint AS integer CHECK (VALUE > 0);
            CREATE DOMAIN matrix.moody AS matrix.mood NOT NULL DEFAULT 'ok';
            CREATE TYPE matrix.pair AS (a integer, b text, c matrix.mood);
            CREATE TABLE matrix.types (
                id integer PRIMARY KEY,
                n_unbounded numeric, n_precise numeric(12,2), n_scaled numeric(38,10), n_huge numeric(1000, 500),
                vc varchar(20), ch char(5), t text, nm name,
                i2 smallint, i4 integer, i8 bigint, r real, d double precision, b boolean,
                dt date, tm time, tm3 time(3), tmtz timetz, ts timestamp, ts3 timestamp(3), tstz timestamptz,
                iv interval, iv_fields interval day to second(2),
                u uuid, by bytea, ip inet, net cidr, mac macaddr, mac8 macaddr8, m money,
                bt bit(8), vb varbit(16), x xml, tsv tsvector, tq tsquery, o oid,
                pt point, ln line, sg lseg, bx box, pth path, plg polygon, crc circle,
                i4r int4range, i8r int8range, nr numrange, tsr tsrange, tstzr tstzrange, dr daterange, i4mr int4multirange,
                a_int integer[], a_text text[], a_2d integer[][], a_num numeric[], a_tstz timestamptz[], a_bytea bytea[],
                a_bool boolean[], a_uuid uuid[], a_float double precision[],
                j json, jb jsonb, a_jsonb jsonb[],
                e matrix.mood, a_e matrix.mood[], dom matrix.posint, dom_e matrix.moody, comp matrix.pair, a_comp matrix.pair[],
                ident bigint GENERATED ALWAYS AS IDENTITY (START WITH 100 INCREMENT BY 5),
                ser serial,
                big bigserial,
                def_const text NOT NULL DEFAULT 'constant default',
                def_num numeric(5,1) DEFAULT 2.5,
                gen bigint GENERATED ALWAYS AS (i4::bigint * 2) STORED,
                CONSTRAINT positive_i2 CHECK (i2 IS NULL OR i2 > -1000)
            );
            CREATE UNIQUE INDEX types_u ON matrix.types (u);
            CREATE INDEX types_lower_t ON matrix.types (lower(t)) WHERE t IS NOT NULL;
            """;

    static final String ROWS_SQL = """
            SET TimeZone = 'America/St_Johns';
            INSERT INTO matrix.types (id, n_unbounded, n_precise, n_scaled, n_huge, vc, ch, t, nm, i2, i4, i8, r, d, b,
                dt, tm, tm3, tmtz, ts, ts3, tstz, iv, iv_fields, u, by, ip, net, mac, mac8, m, bt, vb, x, tsv, tq, o,
                pt, ln, sg, bx, pth, plg, crc, i4r, i8r, nr, tsr, tstzr, dr, i4mr,
                a_int, a_text, a_2d, a_num, a_tstz, a_bytea, a_bool, a_uuid, a_float, j, jb, a_jsonb, e, a_e, dom, dom_e, comp, a_comp)
            VALUES
            (1, 3.14159265358979323846264338327950288419716939937510, 1234567890.12, 12345678901234567890.1234567890,
             repeat('9', 500)::numeric + 0.5, 'varchar', 'ab', 'plain text', 'a name', 1, 2, 3, 1.5, 2.25, true,
             '2024-02-29', '23:59:59.999999', '12:34:56.789', '10:00:00+05:30', '2024-01-01 00:00:00.000001',
             '2024-01-01 00:00:00.123', '2024-06-30 23:59:59.999999+14', '1 year 2 mons 3 days 04:05:06.789',
             '3 days 04:05:06.78', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '\\x00ff', '192.168.0.1/24', '10.0.0.0/8',
             '08:00:2b:01:02:03', '08:00:2b:01:02:03:04:05', 1234.56, B'10101010', B'101', '<a href="x">y &amp; z</a>',
             'a fat cat:3 sat:1', 'fat & (rat | cat)', 4294967295,
             '(1.5,2.5)', '{1,2,3}', '[(0,0),(1,1)]', '((0,0),(2,2))', '[(0,0),(1,1),(2,0)]', '((0,0),(1,1),(1,0))', '<(1,1),2>',
             '[1,10)', '(,100]', '[1.5,2.5]', '[2024-01-01,2024-02-01)', '[2024-01-01 00:00+00,infinity)', 'empty', '{[1,3),[5,7)}',
             '{1,2,3}', '{"a","b c","d\\\\e","",NULL}', '{{1,2},{3,NULL}}', '{1.5,NaN,-0.0}', '{"2024-01-01 00:00:00+00",infinity}',
             '{"\\\\x00","\\\\xff00"}', '{t,f,NULL}', '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}', '{1.5,Infinity,-Infinity,NaN}',
             '{"a": [1, 2.50, "x"],   "b": null}', '{"b": 1, "a": [true, false]}', ARRAY['{"k": 1}'::jsonb, '[]'],
             'happy', '{sad,"it''s \\"complicated\\""}', 42, 'sad', ROW(1, 'one', 'ok'), ARRAY[ROW(2, 'two', 'sad')::matrix.pair, NULL]),
            (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
             NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
             NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
             NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'happy', NULL, NULL),
            (3, 'NaN', 0, -0.0000000001, 0, '', '', '', '', -999, -2147483648, -9223372036854775808, 'NaN', 'NaN', false,
             'infinity', '00:00:00', '00:00:00', '00:00:00-15:59', 'infinity', '-infinity', 'infinity', '-178000000 years',
             '-1 day +02:03:04', '00000000-0000-0000-0000-000000000000', '\\x', '::1', '2001:db8::/32', '00:00:00:00:00:00',
             '00:00:00:00:00:00:00:00', -92233720368547758.08, B'00000000', B'', '<empty/>', '', 'a', 0,
             '(0,0)', '{1,-1,0}', '[(0,0),(0,0)]', '((0,0),(0,0))', '((0,0))', '((0,0))', '<(0,0),0>',
             'empty', 'empty', 'empty', 'empty', 'empty', 'empty', '{}',
             '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '"\\u00e9\\n\\t\\"\\\\"', '"\\u00e9\\n\\t\\"\\\\"', '{}',
             'sad', '{}', 1, 'happy', ROW(NULL, NULL, NULL), '{}'),
            (4, 'Infinity', -9999999999.99, 0, 1, 'x', 'abcde', repeat('long text ', 10000), 'n', 32767, 2147483647,
             9223372036854775807, 'Infinity', 'Infinity', true, '-infinity', '24:00:00', '23:59:59.999', '23:59:59+15:59',
             '-infinity', '4713-01-01 00:00:00 BC', '-infinity', '178000000 years', '00:00:00.01',
             'ffffffff-ffff-ffff-ffff-ffffffffffff', '\\xdeadbeef', '255.255.255.255', '0.0.0.0/0', 'ff:ff:ff:ff:ff:ff',
             'ff:ff:ff:ff:ff:ff:ff:ff', 92233720368547758.07, B'11111111', B'1111111111111111', '<?xml version="1.0"?><r/>',
             'ünïcødé:1A', '!x', 1, '(-1e300,1e-300)', '{0,1,0}', '[(1,2),(3,4)]', '((3,4),(1,2))', '[(1,1)]', '((1,1),(2,2))',
             '<(0,0),1e10>', '[-2147483648,2147483647)', '[-9223372036854775808,9223372036854775807)', '(-Infinity,Infinity)',
             '(,)', '(-infinity,infinity)', '[4713-01-01 BC,5874897-12-30]', '{[-10,-5),[0,1)}',
             '{-2147483648,2147483647}', '{"tab\\there","new\\nline","quote\\"","brace{}","comma,"}', '{{{1}},{{2}}}',
             '{"123456789012345678901234567890.123456789"}', '{"4713-01-01 00:00:00+00 BC"}', '{NULL}', '{NULL}', '{NULL}', '{-0}',
             '[]', '[]', '{NULL}', 'it''s "complicated"', '{NULL}', 2147483647, 'it''s "complicated"', ROW(-1, '', 'happy'), '{NULL}'),
            (5, -0.000000000000000000000000000000000000001, 0.01, 1e-10, -1, 'ünïcødé 😀', '😀', E'back\\\\slash\\ttab\\nnewline\\rcr ''single'' "double" 𝄞 😀',
             'ünïcødé', 0, 0, 0, -0.0, -0.0, NULL, '0044-03-15 BC', '12:00:00', '12:00:00', '12:00:00+00',
             '0044-03-15 12:00:00 BC', '1999-12-31 23:59:59.999', '2000-01-01 00:00:00-12', '0', '0',
             '11111111-2222-3333-4444-555555555555', '\\x5c0d0a09', '10.1.2.3', '10.1.2.0/24', '01:02:03:04:05:06',
             '01:02:03:04:05:06:07:08', 0, B'00000001', B'0', '<r a="1">text &lt;&gt;</r>', 'x:1,2,3 y:4B', 'x <-> y', 12345,
             '(3.14159265358979,-2.718281828459045)', '{2,3,4}', '[(0.1,0.2),(0.3,0.4)]', '((1,1),(0,0))', '[(0,0),(3,0),(3,4)]',
             '((0,0),(3,0),(3,4))', '<(1,2),0.5>', '(1,2]', '[5,6]', '[0.1,0.2)', '(2020-01-01 00:00,2021-01-01 00:00]',
             '[2020-01-01 00:00:00.000001+00,2020-01-01 00:00:00.000002+00]', '[2020-01-01,)', '{[1,2]}',
             '{0}', '{"😀","𝄞","ü"}', '{{NULL,NULL},{NULL,NULL}}', '{0.000000000000000000001}', '{"2000-01-01 00:00:00.000001+05:45"}',
             '{"\\\\x5c"}', '{f}', '{}', '{1e-300,2.2250738585072014e-308}',
             (SELECT json_agg(json_build_object('i', g, 's', repeat('é"\\\\x', 8), 'u', E'\\u00e9\\u20ac')) FROM generate_series(1, 40000) g),
             (SELECT jsonb_agg(jsonb_build_object('i', g, 's', repeat('é"\\\\x', 8))) FROM generate_series(1, 40000) g),
             ARRAY['null'::jsonb], 'ok', '{ok,ok,ok}', 7, 'sad', ROW(0, E'multi\\nline', NULL), ARRAY[ROW(1, 'x', 'ok')::matrix.pair]);
            UPDATE matrix.types SET by = (SELECT string_agg(set_byte('\\x00'::bytea, 0, g), ''::bytea ORDER BY g) FROM generate_series(0, 255) g)
            WHERE id = 3;
            -- Every column whose binary form is portable: this table travels by binary COPY.
            CREATE TABLE matrix.portable AS
            SELECT id, n_unbounded, n_precise, n_scaled, n_huge, vc, ch, t, nm, i2, i4, i8, r, d, b, dt, tm, tm3, tmtz, ts, ts3,
                   tstz, iv, iv_fields, u, by, ip, net, mac, mac8, bt, vb, tsv, tq, o, pt, ln, sg, bx, pth, plg, crc,
                   i4r, i8r, nr, tsr, tstzr, dr, i4mr, a_int, a_text, a_2d, a_num, a_tstz, a_bytea, a_bool, a_uuid, a_float,
                   j, jb, e, dom FROM matrix.types;
            ALTER TABLE matrix.portable ADD PRIMARY KEY (id);
            """;

    /** Types without an equality operator (a domain over an enum has none), or whose = is not identity (box compares areas): compared as text. */
    private static final Set<String> COMPARED_AS_TEXT = Set.of("json", "jsonb", "jsonb[]", "xml", "point", "line", "lseg",
            "box", "path", "polygon", "circle", "moody");

    private static final TestingPostgreSQL POSTGRES = TestingPostgreSQL.shared();
    private static String source;

    @TempDir
    Path directory;

    @BeforeAll
    static void createSource() {
        source = POSTGRES.createDatabase("matrix_src");
        POSTGRES.execute(source, SCHEMA_SQL);
        POSTGRES.execute(source, ROWS_SQL);
    }

    @Test
    void dropAndCreateRecreatesEveryTypeAndValue() throws SQLException {
        String target = POSTGRES.createDatabase("matrix_dc");
        load(target, "DROP_AND_CREATE");
        assertSameValues(target);
        // The one intended type change: json and jsonb become text.
        Map<String, String> sourceTypes = columnTypes(source);
        Map<String, String> targetTypes = columnTypes(target);
        assertEquals(sourceTypes.keySet(), targetTypes.keySet());
        for (Map.Entry<String, String> column : sourceTypes.entrySet()) {
            String expected = switch (column.getValue()) {
                case "json", "jsonb" -> "text";
                case "jsonb[]" -> "text[]";
                default -> column.getValue();
            };
            assertEquals(expected, targetTypes.get(column.getKey()), column.getKey());
        }
        assertEquals(definitions(source), definitions(target));
        // Sequences continue past the loaded values: serial, bigserial and identity.
        String inserted = Sql.scalar(POSTGRES, target,
                "INSERT INTO matrix.types (id) VALUES (100) RETURNING ser || ',' || big || ',' || ident || ',' || def_const || ',' || def_num");
        assertEquals("6,6,125,constant default,2.5", inserted);
    }

    @Test
    void truncateBeforeLoadKeepsTheTargetDefinitionAndLoadsEveryValue() throws SQLException {
        String target = POSTGRES.createDatabase("matrix_tr");
        POSTGRES.execute(target, SCHEMA_SQL);
        POSTGRES.execute(target, "INSERT INTO matrix.types (id, t) VALUES (1, 'stale'), (99, 'stale')");
        load(target, "TRUNCATE_BEFORE_LOAD");
        assertSameValues(target);
        assertEquals(columnTypes(source), columnTypes(target));
        assertEquals(0, Sql.count(POSTGRES, target, "SELECT count(*) FROM matrix.types WHERE t = 'stale'"));
    }

    @Test
    void doNothingLoadsIntoTheExistingEmptyTable() throws SQLException {
        String target = POSTGRES.createDatabase("matrix_dn");
        POSTGRES.execute(target, SCHEMA_SQL);
        load(target, "DO_NOTHING");
        assertSameValues(target);
        assertEquals(columnTypes(source), columnTypes(target));
    }

    @Test
    void jsonKeepsItsTypeWhenJsonAsTextIsOff() throws SQLException {
        String target = POSTGRES.createDatabase("matrix_json");
        load(target, "DROP_AND_CREATE", "transform.json-as-text=false");
        assertEquals(columnTypes(source), columnTypes(target));
        assertSameValues(target);
    }

    @Test
    void sparksJdbcReadMethodCarriesEveryValueToo() throws SQLException {
        String target = POSTGRES.createDatabase("matrix_jdbc");
        load(target, "DROP_AND_CREATE", "source.read-method=JDBC");
        assertSameValues(target);
    }

    @Test
    void partitionedReadsOfEitherMethodLoadEveryRowOnce() throws SQLException {
        for (String method : List.of("COPY", "JDBC")) {
            String target = POSTGRES.createDatabase("matrix_split");
            // One row per partition: the key ranges, and the NULL-key guard of the first, are all exercised.
            load(target, "DROP_AND_CREATE", "source.read-method=" + method, "load.rows-per-partition=1");
            assertSameValues(target);
        }
    }

    private void load(String target, String mode, String... more) {
        List<String> overrides = new ArrayList<>(List.of("load.target-table-prep-mode=" + mode));
        overrides.addAll(List.of(more));
        TestingJob.Outcome outcome = TestingJob.run(TestingJob.settingsFile(directory, POSTGRES, source, target,
                "fullload.tables { \"include\" = [\"matrix.%\"] }"), overrides.toArray(String[]::new));
        assertEquals(0, outcome.status(), outcome.out() + outcome.err());
    }

    /** Every column of every target row, sent back to the source and compared there with IS NOT DISTINCT FROM. */
    private static void assertSameValues(String target) throws SQLException {
        assertSameValues(target, "types");
        assertSameValues(target, "portable");
    }

    private static void assertSameValues(String target, String table) throws SQLException {
        Map<String, String> types = columnTypes(source, table);
        List<String> columns = new ArrayList<>(types.keySet());
        StringBuilder select = new StringBuilder("SELECT ");
        StringBuilder compare = new StringBuilder("SELECT ");
        for (int i = 0; i < columns.size(); i++) {
            String column = Identifiers.quote(columns.get(i));
            String type = types.get(columns.get(i));
            select.append(i == 0 ? "" : ", ").append(column).append("::text");
            compare.append(i == 0 ? "" : ", ");
            if (COMPARED_AS_TEXT.contains(type)) {
                compare.append(column).append("::text IS NOT DISTINCT FROM ?");
            } else {
                compare.append(column).append(" IS NOT DISTINCT FROM ?::").append(type);
            }
        }
        select.append(" FROM matrix.").append(table).append(" ORDER BY id");
        compare.append(" FROM matrix.").append(table).append(" WHERE id = ?::integer");
        int rows = 0;
        try (Connection targetConnection = POSTGRES.connect(target);
             Connection sourceConnection = POSTGRES.connect(source);
             Statement statement = targetConnection.createStatement();
             Statement sourceSession = sourceConnection.createStatement();
             ResultSet targetRows = statement.executeQuery(select.toString());
             PreparedStatement check = prepare(sourceSession, sourceConnection, compare.toString())) {
            while (targetRows.next()) {
                rows++;
                String id = targetRows.getString(1);
                for (int i = 0; i < columns.size(); i++) {
                    check.setString(i + 1, targetRows.getString(i + 1));
                }
                check.setString(columns.size() + 1, id);
                try (ResultSet result = check.executeQuery()) {
                    assertTrue(result.next(), "row " + id + " is not in the source");
                    for (int i = 0; i < columns.size(); i++) {
                        assertTrue(result.getBoolean(i + 1), "row " + id + ", column " + columns.get(i) + " ("
                                + types.get(columns.get(i)) + ") differs: target has " + abbreviate(targetRows.getString(i + 1)));
                    }
                }
            }
        }
        assertEquals(Sql.count(POSTGRES, source, "SELECT count(*) FROM matrix." + table), rows);
    }

    /** The column types print unqualified for this search path, as {@link #columnTypes} reads them. */
    private static PreparedStatement prepare(Statement session, Connection connection, String sql) throws SQLException {
        session.execute("SET search_path = matrix, pg_catalog");
        return connection.prepareStatement(sql);
    }

    private static String abbreviate(String value) {
        return value == null ? "NULL" : value.length() > 200 ? value.substring(0, 200) + "..." : value;
    }

    private static Map<String, String> columnTypes(String database) throws SQLException {
        return columnTypes(database, "types");
    }

    private static Map<String, String> columnTypes(String database, String table) throws SQLException {
        Map<String, String> types = new LinkedHashMap<>();
        try (Connection connection = POSTGRES.connect(database); Statement statement = connection.createStatement()) {
            statement.execute("SET search_path = matrix, pg_catalog");
            try (ResultSet rows = statement.executeQuery("""
                    SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
                    WHERE a.attrelid = 'matrix.%s'::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum""".formatted(table))) {
                while (rows.next()) {
                    types.put(rows.getString(1), rows.getString(2));
                }
            }
        }
        return types;
    }

    /** Constraints, indexes, defaults, identity and generation of matrix.types, as the catalog prints them. */
    private static List<String> definitions(String database) {
        List<String> definitions = new ArrayList<>(Sql.column(POSTGRES, database, """
                SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
                WHERE conrelid = 'matrix.types'::regclass ORDER BY 1"""));
        definitions.addAll(Sql.column(POSTGRES, database,
                "SELECT indexdef FROM pg_indexes WHERE schemaname = 'matrix' ORDER BY indexname"));
        definitions.addAll(Sql.column(POSTGRES, database, """
                SELECT a.attname || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '') || ' ' || a.attidentity::text || ' '
                       || a.attgenerated::text || ' ' || a.attnotnull
                FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                WHERE a.attrelid = 'matrix.types'::regclass AND a.attnum > 0 ORDER BY a.attnum"""));
        return definitions;
    }
}
