package dev.pgfullload.source;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TableNameTest {

    @Test
    void plainNamesReadAsTheyAreWritten() {
        assertEquals("shop.product", new TableName("shop", "product").toString());
        assertEquals("Shop Floor.Ünïcode table", new TableName("Shop Floor", "Ünïcode table").toString());
    }

    @Test
    void aDotOrAQuoteInAPartQuotesThatPartSoNoTwoTablesShareAName() {
        TableName dottedSchema = new TableName("a.b", "c");
        TableName dottedTable = new TableName("a", "b.c");
        assertEquals("\"a.b\".c", dottedSchema.toString());
        assertEquals("a.\"b.c\"", dottedTable.toString());
        assertNotEquals(dottedSchema.toString(), dottedTable.toString());
        assertEquals("\"x\"\"y\".\"p.q\"", new TableName("x\"y", "p.q").toString());
    }

    @Test
    void parseReadsBackWhatToStringWrote() {
        for (TableName name : List.of(new TableName("shop", "product"), new TableName("a.b", "c"), new TableName("a", "b.c"),
                new TableName("x\"y", "p.q"), new TableName("\"", "."), new TableName("Sch\"ema; DROP TABLE x; --\\", "chi'ld\\\"; --"))) {
            assertEquals(name, TableName.parse(name.toString()));
        }
        assertThrows(IllegalArgumentException.class, () -> TableName.parse("no_dot"));
        assertThrows(IllegalArgumentException.class, () -> TableName.parse("\"open.table"));
    }
}
