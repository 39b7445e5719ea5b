package dev.pgfullload.target;

import dev.pgfullload.schema.TargetColumn;
import dev.pgfullload.schema.TargetTable;
import dev.pgfullload.source.ColumnKind;
import dev.pgfullload.source.SourceColumn;
import dev.pgfullload.source.SourceTable;
import dev.pgfullload.source.TableName;
import dev.pgfullload.source.UserType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TargetSqlTest {

    private static final TableName AWKWARD = new TableName("My \"Schema\"", "Order Items; DROP TABLE x; --");
    private static final TableName PLAIN = new TableName("public", "orders");

    private static TargetTable table(TableName name, List<TargetColumn> columns, List<String> primaryKey) {
        SourceTable source = new SourceTable(name, List.of(new SourceColumn("unused", 1, "text", ColumnKind.STRING, false, null)),
                primaryKey, 0, 0);
        return new TargetTable(source, name, columns, primaryKey, List.of());
    }

    @Test
    void createTableWithPrimaryKeyAndNotNull() {
        TargetTable table = table(AWKWARD, List.of(
                new TargetColumn("Id", "bigint", true, ColumnKind.BIGINT, false),
                new TargetColumn("line \"no\"", "integer", true, ColumnKind.INTEGER, false),
                new TargetColumn("doc", "text", false, ColumnKind.JSON, true),
                new TargetColumn("mood", "\"public\".\"Mood\"[]", false, ColumnKind.TEXT_FORM, false)),
                List.of("Id", "line \"no\""));
        assertEquals("CREATE TABLE \"My \"\"Schema\"\"\".\"Order Items; DROP TABLE x; --\" (\n"
                + "    \"Id\" bigint NOT NULL,\n"
                + "    \"line \"\"no\"\"\" integer NOT NULL,\n"
                + "    \"doc\" text,\n"
                + "    \"mood\" \"public\".\"Mood\"[],\n"
                + "    PRIMARY KEY (\"Id\", \"line \"\"no\"\"\")\n"
                + ")", TargetSql.createTable(table));
    }

    @Test
    void createTableWithoutPrimaryKey() {
        TargetTable table = table(PLAIN, List.of(
                new TargetColumn("note", "character varying(20)", false, ColumnKind.STRING, false),
                new TargetColumn("at", "timestamp with time zone", true, ColumnKind.TEXT_FORM, false)), List.of());
        assertEquals("""
                CREATE TABLE "public"."orders" (
                    "note" character varying(20),
                    "at" timestamp with time zone NOT NULL
                )""", TargetSql.createTable(table));
    }

    @Test
    void createEnumDomainAndCompositeTypes() {
        assertEquals("CREATE TYPE \"public\".\"Mood\" AS ENUM ('sad', 'it''s ok')", TargetSql.createType(new UserType(
                UserType.Kind.ENUM, "public", "Mood", "AS ENUM ('sad', 'it''s ok')", List.of())));
        assertEquals("CREATE DOMAIN \"my schema\".\"positive\" AS integer CHECK (VALUE > 0)", TargetSql.createType(
                new UserType(UserType.Kind.DOMAIN, "my schema", "positive", "AS integer CHECK (VALUE > 0)", List.of())));
        assertEquals("CREATE TYPE \"public\".\"a\"\"b\" AS (\"x\" integer)", TargetSql.createType(new UserType(
                UserType.Kind.COMPOSITE, "public", "a\"b", "AS (\"x\" integer)", List.of())));
    }

    @Test
    void createSchema() {
        assertEquals("CREATE SCHEMA IF NOT EXISTS \"My \"\"Schema\"\"\"", TargetSql.createSchema("My \"Schema\""));
    }

    @Test
    void dropTablesInOneStatement() {
        assertEquals("DROP TABLE \"public\".\"orders\", \"My \"\"Schema\"\"\".\"Order Items; DROP TABLE x; --\"",
                TargetSql.dropTables(List.of(PLAIN, AWKWARD)));
    }

    @Test
    void truncateTablesInOneStatement() {
        assertEquals("TRUNCATE TABLE \"public\".\"orders\", \"My \"\"Schema\"\"\".\"Order Items; DROP TABLE x; --\"",
                TargetSql.truncateTables(List.of(PLAIN, AWKWARD)));
        assertEquals("TRUNCATE TABLE \"public\".\"orders\"", TargetSql.truncateTables(List.of(PLAIN)));
    }

    @Test
    void disableAndEnableTriggers() {
        assertEquals("ALTER TABLE \"My \"\"Schema\"\"\".\"Order Items; DROP TABLE x; --\" DISABLE TRIGGER ALL",
                TargetSql.disableTriggers(AWKWARD));
        assertEquals("ALTER TABLE \"public\".\"orders\" ENABLE TRIGGER ALL", TargetSql.enableTriggers(PLAIN));
    }

    @Test
    void copyIn() {
        assertEquals("COPY \"My \"\"Schema\"\"\".\"Order Items; DROP TABLE x; --\" (\"Id\", \"a b\", \"c\"\"d\", \"é\") FROM STDIN",
                TargetSql.copyIn(AWKWARD, List.of("Id", "a b", "c\"d", "é")));
    }

    @Test
    void quotedList() {
        assertEquals("\"a\", \"B\", \"c d\"", TargetSql.quotedList(List.of("a", "B", "c d")));
        assertEquals("", TargetSql.quotedList(List.of()));
    }
}
