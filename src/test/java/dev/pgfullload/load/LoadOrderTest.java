package dev.pgfullload.load;

import dev.pgfullload.error.FailureCategory;
import dev.pgfullload.error.FullLoadException;
import dev.pgfullload.source.ForeignKey;
import dev.pgfullload.source.TableName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LoadOrderTest {

    private static final TableName CUSTOMERS = new TableName("shop", "customers");
    private static final TableName ORDERS = new TableName("shop", "orders");
    private static final TableName ITEMS = new TableName("shop", "order_items");
    private static final TableName PRODUCTS = new TableName("shop", "products");
    private static final TableName EMPLOYEES = new TableName("hr", "employees");
    private static final TableName OUTSIDE = new TableName("other", "outside");

    private static ForeignKey fk(TableName referencing, TableName referenced) {
        return new ForeignKey(referencing.name() + "_fk_" + referenced.name(), referencing, referenced);
    }

    private static List<TableName> parents(LoadOrder order, TableName table) {
        return List.copyOf(order.parentsOf(table));
    }

    @Test
    void parentsFirstGivesTheReferencedTables() {
        LoadOrder order = LoadOrder.parentsFirst(List.of(CUSTOMERS, ORDERS, ITEMS, PRODUCTS), List.of(
                fk(ORDERS, CUSTOMERS), fk(ITEMS, ORDERS), fk(ITEMS, PRODUCTS), fk(ITEMS, PRODUCTS)));
        assertEquals(List.of(), parents(order, CUSTOMERS));
        assertEquals(List.of(CUSTOMERS), parents(order, ORDERS));
        assertEquals(List.of(ORDERS, PRODUCTS), parents(order, ITEMS));
        assertEquals(List.of(), parents(order, PRODUCTS));
    }

    @Test
    void aSelfReferenceIsIgnored() {
        LoadOrder order = LoadOrder.parentsFirst(List.of(EMPLOYEES), List.of(fk(EMPLOYEES, EMPLOYEES)));
        assertEquals(Set.of(), order.parentsOf(EMPLOYEES));
    }

    @Test
    void foreignKeysToOrFromUnselectedTablesAreIgnored() {
        LoadOrder order = LoadOrder.parentsFirst(List.of(ORDERS, CUSTOMERS),
                List.of(fk(ORDERS, OUTSIDE), fk(OUTSIDE, CUSTOMERS), fk(ORDERS, CUSTOMERS)));
        assertEquals(List.of(CUSTOMERS), parents(order, ORDERS));
        assertEquals(Set.of(), order.parentsOf(OUTSIDE));
    }

    @Test
    void aCycleIsRefusedNamingItsTables() {
        // orders -> customers -> order_items -> orders, and products -> orders outside the cycle.
        FullLoadException e = assertThrows(FullLoadException.class, () -> LoadOrder.parentsFirst(
                List.of(CUSTOMERS, ORDERS, ITEMS, PRODUCTS),
                List.of(fk(ORDERS, CUSTOMERS), fk(CUSTOMERS, ITEMS), fk(ITEMS, ORDERS), fk(PRODUCTS, ORDERS))));
        assertEquals(FailureCategory.PREFLIGHT, e.category());
        assertEquals("tables [shop.customers, shop.order_items, shop.orders] reference each other in a cycle of foreign"
                + " keys, so load.trigger-mode = NONE cannot load parents first: use SESSION_REPLICATION_ROLE or"
                + " DISABLE_TRIGGERS", e.getMessage());
    }

    @Test
    void aCycleReachedFromATableOutsideItNamesOnlyTheCycle() {
        TableName a = new TableName("s", "a");
        TableName b = new TableName("s", "b");
        TableName c = new TableName("s", "c");
        FullLoadException e = assertThrows(FullLoadException.class, () -> LoadOrder.parentsFirst(List.of(a, b, c),
                List.of(fk(a, b), fk(b, c), fk(c, b))));
        assertEquals("tables [s.b, s.c] reference each other in a cycle of foreign keys, so load.trigger-mode = NONE"
                + " cannot load parents first: use SESSION_REPLICATION_ROLE or DISABLE_TRIGGERS", e.getMessage());
    }

    @Test
    void unorderedHasNoParents() {
        LoadOrder order = LoadOrder.unordered(List.of(CUSTOMERS, ORDERS));
        assertEquals(Set.of(), order.parentsOf(CUSTOMERS));
        assertEquals(Set.of(), order.parentsOf(ORDERS));
        assertEquals(Set.of(), order.parentsOf(OUTSIDE));
    }
}
