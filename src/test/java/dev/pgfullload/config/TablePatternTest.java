package dev.pgfullload.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TablePatternTest {

    @Test
    void percentMatchesAnyRunOfCharactersIncludingNone() {
        TablePattern pattern = TablePattern.parse("public.%");
        assertTrue(pattern.matches("public", "orders"));
        assertTrue(pattern.matches("public", ""));
        assertTrue(pattern.matches("public", "a.b c"));
        assertFalse(pattern.matches("sales", "orders"));
        assertFalse(pattern.matches("public2", "orders"));
    }

    @Test
    void percentInTheMiddleAndOnBothSides() {
        TablePattern pattern = TablePattern.parse("%.order%items");
        assertTrue(pattern.matches("anything", "orderitems"));
        assertTrue(pattern.matches("x", "order_line_items"));
        assertFalse(pattern.matches("x", "orderitems2"));
        assertFalse(pattern.matches("x", "my_orderitems"));
    }

    @Test
    void underscoreMatchesExactlyOneCharacter() {
        TablePattern pattern = TablePattern.parse("public.order_");
        assertTrue(pattern.matches("public", "orders"));
        assertTrue(pattern.matches("public", "order1"));
        assertTrue(pattern.matches("public", "order_"));
        assertFalse(pattern.matches("public", "order"));
        assertFalse(pattern.matches("public", "orders2"));
    }

    @Test
    void aBackslashTakesTheNextCharacterLiterally() {
        TablePattern underscore = TablePattern.parse("public.my\\_table");
        assertTrue(underscore.matches("public", "my_table"));
        assertFalse(underscore.matches("public", "myXtable"));

        TablePattern percent = TablePattern.parse("public.100\\%");
        assertTrue(percent.matches("public", "100%"));
        assertFalse(percent.matches("public", "1000"));

        TablePattern dot = TablePattern.parse("my\\.schema.t%");
        assertTrue(dot.matches("my.schema", "t1"));
        assertFalse(dot.matches("myXschema", "t1"));
        assertFalse(dot.matches("my", "schema.t1"));

        TablePattern plus = TablePattern.parse("public.a\\+b");
        assertTrue(plus.matches("public", "a+b"));
        assertFalse(plus.matches("public", "aab"));
    }

    @Test
    void regexCharactersAreLiteral() {
        TablePattern pattern = TablePattern.parse("public.a+b(c)[d]$");
        assertTrue(pattern.matches("public", "a+b(c)[d]$"));
        assertFalse(pattern.matches("public", "aab(c)[d]"));
    }

    @Test
    void matchingIsCaseSensitive() {
        TablePattern pattern = TablePattern.parse("Sales.Orders");
        assertTrue(pattern.matches("Sales", "Orders"));
        assertFalse(pattern.matches("sales", "orders"));
        assertFalse(pattern.matches("Sales", "ORDERS"));
    }

    @Test
    void theFirstDotSeparatesSchemaFromTable() {
        TablePattern pattern = TablePattern.parse("s.t.u");
        assertTrue(pattern.matches("s", "t.u"));
        assertFalse(pattern.matches("s.t", "u"));
        assertEquals("s.t.u", pattern.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"nodot", ".table", "schema.", "escaped\\.dot", ""})
    void aPatternWithoutSchemaAndTableIsRejected(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TablePattern.parse(text));
        assertEquals("a table pattern is schema.table, with % and _ wildcards (got \"" + text + "\")", e.getMessage());
    }
}
