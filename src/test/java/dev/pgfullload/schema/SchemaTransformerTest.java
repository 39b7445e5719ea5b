package dev.pgfullload.schema;

import dev.pgfullload.source.ColumnKind;
import dev.pgfullload.source.SourceColumn;
import dev.pgfullload.source.SourceTable;
import dev.pgfullload.source.TableName;
import dev.pgfullload.source.UserType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class SchemaTransformerTest {

    private static final UserType MOOD = new UserType(UserType.Kind.ENUM, "public", "Mood", "AS ENUM ('sad', 'ok')", List.of());
    private static final UserType POSITIVE = new UserType(UserType.Kind.DOMAIN, "public", "positive",
            "AS integer CHECK (VALUE > 0)", List.of());

    private static final SourceTable TABLE = new SourceTable(new TableName("Sales", "Order Items"), List.of(
            new SourceColumn("id", 1, "bigint", ColumnKind.BIGINT, true, null),
            new SourceColumn("doc", 2, "jsonb", ColumnKind.JSON, true, null),
            new SourceColumn("meta", 3, "json", ColumnKind.JSON, false, null),
            new SourceColumn("mood", 4, "\"public\".\"Mood\"", ColumnKind.TEXT_FORM, false, MOOD),
            new SourceColumn("price", 5, "numeric(12,2)", ColumnKind.TEXT_FORM, true, null),
            new SourceColumn("moods", 6, "\"public\".\"Mood\"[]", ColumnKind.TEXT_FORM, false, MOOD),
            new SourceColumn("qty", 7, "public.positive", ColumnKind.TEXT_FORM, false, POSITIVE),
            new SourceColumn("docs", 8, "jsonb[]", ColumnKind.TEXT_FORM, false, null)),
            List.of("id"), 10, 8192);

    @Test
    void jsonBecomesTextWhenJsonAsTextIsOn() {
        TargetTable target = new SchemaTransformer(true).transform(TABLE);
        assertEquals(List.of(
                new TargetColumn("id", "bigint", true, ColumnKind.BIGINT, false),
                new TargetColumn("doc", "text", true, ColumnKind.JSON, true),
                new TargetColumn("meta", "text", false, ColumnKind.JSON, true),
                new TargetColumn("mood", "\"public\".\"Mood\"", false, ColumnKind.TEXT_FORM, false),
                new TargetColumn("price", "numeric(12,2)", true, ColumnKind.TEXT_FORM, false),
                new TargetColumn("moods", "\"public\".\"Mood\"[]", false, ColumnKind.TEXT_FORM, false),
                new TargetColumn("qty", "public.positive", false, ColumnKind.TEXT_FORM, false),
                new TargetColumn("docs", "jsonb[]", false, ColumnKind.TEXT_FORM, false)), target.columns());
    }

    @Test
    void jsonKeepsItsTypeWhenJsonAsTextIsOff() {
        TargetTable target = new SchemaTransformer(false).transform(TABLE);
        assertEquals(List.of(
                new TargetColumn("id", "bigint", true, ColumnKind.BIGINT, false),
                new TargetColumn("doc", "jsonb", true, ColumnKind.JSON, false),
                new TargetColumn("meta", "json", false, ColumnKind.JSON, false),
                new TargetColumn("mood", "\"public\".\"Mood\"", false, ColumnKind.TEXT_FORM, false),
                new TargetColumn("price", "numeric(12,2)", true, ColumnKind.TEXT_FORM, false),
                new TargetColumn("moods", "\"public\".\"Mood\"[]", false, ColumnKind.TEXT_FORM, false),
                new TargetColumn("qty", "public.positive", false, ColumnKind.TEXT_FORM, false),
                new TargetColumn("docs", "jsonb[]", false, ColumnKind.TEXT_FORM, false)), target.columns());
    }

    @Test
    void userTypesAreCollectedOnceInOrderOfFirstUse() {
        TargetTable target = new SchemaTransformer(true).transform(TABLE);
        assertEquals(List.of(MOOD, POSITIVE), target.userTypes());
    }

    @Test
    void nameKeyAndSourceAreKept() {
        TargetTable target = new SchemaTransformer(true).transform(TABLE);
        assertEquals(new TableName("Sales", "Order Items"), target.name());
        assertEquals(List.of("id"), target.primaryKey());
        assertSame(TABLE, target.source());
        assertEquals(List.of("id", "doc", "meta", "mood", "price", "moods", "qty", "docs"), target.columnNames());
    }

    @Test
    void aTableWithoutUserTypesHasNone() {
        SourceTable plain = new SourceTable(new TableName("public", "t"),
                List.of(new SourceColumn("a", 1, "text", ColumnKind.STRING, false, null)), List.of(), 0, 0);
        TargetTable target = new SchemaTransformer(true).transform(plain);
        assertEquals(List.of(), target.userTypes());
        assertEquals(List.of(), target.primaryKey());
    }
}
