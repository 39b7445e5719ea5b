package dev.pgfullload.schema;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class IdentifierCaseTest {

    @Test
    void lowerFoldsQuotedIdentifiersAndLeavesValuesAlone() {
        assertEquals("CREATE INDEX \"ix ü\" ON \"mixedcase\".\"parent \"\"table\"\" 'x'\" USING btree (\"a\"\"b\") WHERE (\"select\" > 'ABC'::text)",
                IdentifierCase.LOWER.rewrite("CREATE INDEX \"Ix Ü\" ON \"MixedCase\".\"Parent \"\"Table\"\" 'x'\" USING btree (\"A\"\"B\")"
                        + " WHERE (\"select\" > 'ABC'::text)"));
        assertEquals("'Happy'::\"mixedcase\".\"mood\"", IdentifierCase.LOWER.rewrite("'Happy'::\"MixedCase\".\"Mood\""));
    }

    @Test
    void lowerFoldsTheRelationARegclassLiteralNames() {
        assertEquals("nextval('\"mixedcase\".\"parent \"\"table\"\" ''x''_id_seq\"'::regclass)",
                IdentifierCase.LOWER.rewrite("nextval('\"MixedCase\".\"Parent \"\"Table\"\" ''x''_Id_seq\"'::regclass)"));
        assertEquals("nextval('public.orders_id_seq'::regclass)", IdentifierCase.LOWER.rewrite("nextval('public.orders_id_seq'::regclass)"));
        assertEquals("'MixedCase'::text", IdentifierCase.LOWER.rewrite("'MixedCase'::text"));
    }

    @Test
    void preserveChangesNothing() {
        String sql = "nextval('\"MixedCase\".\"Seq\"'::regclass)";
        assertEquals(sql, IdentifierCase.PRESERVE.rewrite(sql));
        assertEquals("MixedCase", IdentifierCase.PRESERVE.apply("MixedCase"));
        assertNull(IdentifierCase.LOWER.rewrite(null));
    }
}
