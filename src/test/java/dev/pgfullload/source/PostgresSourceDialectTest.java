package dev.pgfullload.source;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PostgresSourceDialectTest {

    private final PostgresSourceDialect dialect = new PostgresSourceDialect();

    @ParameterizedTest(name = "{1}.{0} ({2}) -> {3}")
    @CsvSource({
            "int2, pg_catalog, b, SMALLINT",
            "int4, pg_catalog, b, INTEGER",
            "int8, pg_catalog, b, BIGINT",
            "bool, pg_catalog, b, BOOLEAN",
            "float4, pg_catalog, b, REAL",
            "float8, pg_catalog, b, DOUBLE",
            "text, pg_catalog, b, STRING",
            "varchar, pg_catalog, b, STRING",
            "bpchar, pg_catalog, b, STRING",
            "bytea, pg_catalog, b, BINARY",
            "json, pg_catalog, b, JSON",
            "jsonb, pg_catalog, b, JSON",
            "money, pg_catalog, b, MONEY",
            "numeric, pg_catalog, b, TEXT_FORM",
            "timestamptz, pg_catalog, b, TEXT_FORM",
            "date, pg_catalog, b, TEXT_FORM",
            "interval, pg_catalog, b, TEXT_FORM",
            "uuid, pg_catalog, b, TEXT_FORM",
            "_int4, pg_catalog, b, TEXT_FORM",
            "_jsonb, pg_catalog, b, JSON",
            "_json, pg_catalog, b, JSON",
            "inet, pg_catalog, b, TEXT_FORM",
            "mood, public, e, TEXT_FORM",
            "positive, public, d, TEXT_FORM",
            "address, public, c, TEXT_FORM",
            "int4range, pg_catalog, r, TEXT_FORM",
            "int4, myschema, b, TEXT_FORM",
            "json, public, b, TEXT_FORM",
            "text, pg_catalog, d, TEXT_FORM",
    })
    void kindOfEachType(String typeName, String typeSchema, String typeType, ColumnKind expected) {
        assertEquals(expected, PostgresSourceDialect.kind(typeName, typeSchema, typeType));
    }

    @Test
    void selectExpressionForEachKind() {
        Map<ColumnKind, String> expected = new EnumMap<>(ColumnKind.class);
        expected.put(ColumnKind.SMALLINT, "\"Col x\"");
        expected.put(ColumnKind.INTEGER, "\"Col x\"");
        expected.put(ColumnKind.BIGINT, "\"Col x\"");
        expected.put(ColumnKind.BOOLEAN, "\"Col x\"");
        expected.put(ColumnKind.REAL, "\"Col x\"");
        expected.put(ColumnKind.DOUBLE, "\"Col x\"");
        expected.put(ColumnKind.STRING, "\"Col x\"");
        expected.put(ColumnKind.BINARY, "\"Col x\"");
        expected.put(ColumnKind.JSON, "\"Col x\"::text AS \"Col x\"");
        expected.put(ColumnKind.MONEY, "\"Col x\"::numeric::text AS \"Col x\"");
        expected.put(ColumnKind.TEXT_FORM, "\"Col x\"::text AS \"Col x\"");
        Map<ColumnKind, String> actual = new EnumMap<>(ColumnKind.class);
        for (ColumnKind kind : ColumnKind.values()) {
            actual.put(kind, dialect.selectExpression(new SourceColumn("Col x", 1, "whatever", kind, false, null)));
        }
        assertEquals(expected, actual);
    }

    @Test
    void selectExpressionQuotesAwkwardNames() {
        assertEquals("\"a\"\"; DROP TABLE x; --\"::text AS \"a\"\"; DROP TABLE x; --\"", dialect.selectExpression(
                new SourceColumn("a\"; DROP TABLE x; --", 1, "numeric", ColumnKind.TEXT_FORM, false, null)));
    }

    @Test
    void selectQueryReadsEveryColumnInOrder() {
        SourceTable table = new SourceTable(new TableName("Sales", "Order Items"), List.of(
                new SourceColumn("id", 1, "bigint", ColumnKind.BIGINT, true, null),
                new SourceColumn("Doc", 2, "jsonb", ColumnKind.JSON, false, null),
                new SourceColumn("price", 3, "money", ColumnKind.MONEY, false, null),
                new SourceColumn("at", 4, "timestamp with time zone", ColumnKind.TEXT_FORM, false, null)),
                List.of("id"), 0, 0);
        assertEquals("SELECT \"id\", \"Doc\"::text AS \"Doc\", \"price\"::numeric::text AS \"price\","
                + " \"at\"::text AS \"at\" FROM ONLY \"Sales\".\"Order Items\"", dialect.selectQuery(table));
    }

    @Test
    void readingSessionsJoinTheRunsSnapshotBeforeTheirSettings() {
        assertEquals("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY; SET TRANSACTION SNAPSHOT '00000003-0000001B-1';"
                + " SET lock_timeout = '30000ms'; " + dialect.sessionInitStatement(),
                dialect.readingSessionStatement("00000003-0000001B-1", true, 30_000));
        assertEquals("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY; SET TRANSACTION SNAPSHOT '00000003-0000001B-1';"
                + " SET lock_timeout = '2500ms'; " + dialect.sessionInitStatement(),
                dialect.readingSessionStatement("00000003-0000001B-1", false, 2_500));
        // source.lock-timeout = 0 leaves the server's own lock_timeout.
        assertEquals("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY; SET TRANSACTION SNAPSHOT '00000003-0000001B-1'; "
                + dialect.sessionInitStatement(), dialect.readingSessionStatement("00000003-0000001B-1", true, 0));
        assertEquals("SET lock_timeout = '30000ms'; " + dialect.sessionInitStatement(), dialect.readingSessionStatement(null, true, 30_000));
    }

    @Test
    void sessionInitMakesTextFormsExact() {
        assertEquals("SET extra_float_digits = 3; SET IntervalStyle = 'postgres'; SET bytea_output = 'hex'",
                dialect.sessionInitStatement());
    }

    @Test
    void aDialectIsChosenByUrl() {
        assertInstanceOf(PostgresSourceDialect.class, SourceDialect.forUrl("jdbc:postgresql://h/db"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SourceDialect.forUrl("jdbc:mysql://h/db"));
        assertEquals("no source dialect for jdbc:mysql://h/db", e.getMessage());
    }
}
