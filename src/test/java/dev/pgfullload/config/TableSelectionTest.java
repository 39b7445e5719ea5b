package dev.pgfullload.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TableSelectionTest {

    private static TableSelection selection(List<String> include, List<String> exclude) {
        return new TableSelection(include.stream().map(TablePattern::parse).toList(),
                exclude.stream().map(TablePattern::parse).toList());
    }

    @Test
    void includeMinusExclude() {
        TableSelection selection = selection(List.of("public.%", "hr.employees"), List.of("public.tmp\\_%", "public.audit_log"));
        assertTrue(selection.selects("public", "orders"));
        assertTrue(selection.selects("hr", "employees"));
        assertTrue(selection.selects("public", "tmpx_cache"), "the escaped _ is a literal underscore");
        assertFalse(selection.selects("public", "tmp_cache"));
        assertFalse(selection.selects("public", "audit_log"));
        assertFalse(selection.selects("hr", "salaries"));
        assertFalse(selection.selects("sales", "orders"));
    }

    @Test
    void excludeWinsOverAnInclude() {
        TableSelection selection = selection(List.of("public.orders"), List.of("public.%"));
        assertFalse(selection.selects("public", "orders"));
    }

    @Test
    void anUnescapedUnderscoreInAnExcludeMatchesAnyCharacter() {
        TableSelection selection = selection(List.of("public.%"), List.of("public.tmp_%"));
        assertFalse(selection.selects("public", "tmp_a"));
        assertFalse(selection.selects("public", "tmpXa"));
        assertTrue(selection.selects("public", "tmp"));
    }

    @Test
    void selectionIsCaseSensitive() {
        TableSelection selection = selection(List.of("Sales.%"), List.of());
        assertTrue(selection.selects("Sales", "orders"));
        assertFalse(selection.selects("sales", "orders"));
    }

    @Test
    void nothingIncludedSelectsNothing() {
        assertFalse(selection(List.of(), List.of()).selects("public", "orders"));
    }
}
