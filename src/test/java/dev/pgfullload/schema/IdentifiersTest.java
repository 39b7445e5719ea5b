package dev.pgfullload.schema;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class IdentifiersTest {

    @Test
    void quoteAlwaysQuotes() {
        assertEquals("\"orders\"", Identifiers.quote("orders"));
        assertEquals("\"select\"", Identifiers.quote("select"));
    }

    @Test
    void quoteKeepsMixedCaseAndSpaces() {
        assertEquals("\"OrderItems\"", Identifiers.quote("OrderItems"));
        assertEquals("\"order items\"", Identifiers.quote("order items"));
    }

    @Test
    void quoteDoublesEmbeddedDoubleQuotes() {
        assertEquals("\"a\"\"b\"", Identifiers.quote("a\"b"));
        assertEquals("\"\"\"\"", Identifiers.quote("\""));
    }

    @Test
    void quoteNeutralisesAnInjectionAttempt() {
        assertEquals("\"\"\"; DROP TABLE x; --\"", Identifiers.quote("\"; DROP TABLE x; --"));
    }

    @Test
    void quoteKeepsUnicode() {
        assertEquals("\"Übersicht 表 😀\"", Identifiers.quote("Übersicht 表 😀"));
    }

    @Test
    void quoteRejectsNul() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Identifiers.quote("a\0b"));
        assertEquals("an identifier cannot contain a NUL character", e.getMessage());
    }

    @Test
    void quoteRejectsNull() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> Identifiers.quote(null));
        assertEquals("name is null", e.getMessage());
    }

    @Test
    void literalDoublesSingleQuotesAndKeepsBackslashes() {
        assertEquals("'plain'", Identifiers.literal("plain"));
        assertEquals("'it''s'", Identifiers.literal("it's"));
        assertEquals("''''", Identifiers.literal("'"));
        assertEquals("'a\\b'", Identifiers.literal("a\\b"));
        assertEquals("'x''; DROP TABLE y; --'", Identifiers.literal("x'; DROP TABLE y; --"));
        assertEquals("''", Identifiers.literal(""));
    }

    @Test
    void literalRejectsNul() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Identifiers.literal("\0"));
        assertEquals("a literal cannot contain a NUL character", e.getMessage());
    }
}
