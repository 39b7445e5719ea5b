package dev.pgfullload.target;

import dev.pgfullload.error.FailureCategory;
import dev.pgfullload.error.FullLoadException;
import dev.pgfullload.schema.Identifiers;
import dev.pgfullload.source.TableName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** DISABLE_TRIGGERS mode: all triggers of a table off for its load, and back on afterwards, whatever happened. */
public final class TriggerSwitch {

    private static final Logger LOG = LoggerFactory.getLogger(TriggerSwitch.class);

    private static final String SYSTEM_TRIGGERS_SQL = """
            SELECT DISTINCT n.nspname, c.relname
            FROM pg_catalog.pg_trigger t
            JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE t.tgisinternal AND (n.nspname, c.relname) IN (SELECT unnest(?::text[]), unnest(?::text[]))
            ORDER BY 1, 2
            """;

    private TriggerSwitch() {
    }

    /**
     * DISABLE TRIGGER ALL also disables the foreign keys' system triggers, which only a superuser may:
     * refuses a user that is not one when any of {@code tables} has such triggers, before anything is written.
     */
    public static void checkCanDisable(Connection target, Collection<TableName> tables) throws SQLException {
        if (tables.isEmpty()) {
            return;
        }
        String user;
        try (Statement statement = target.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT current_user, rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user")) {
            if (!rows.next() || rows.getBoolean(2)) {
                return;
            }
            user = rows.getString(1);
        }
        List<String> withSystemTriggers = new ArrayList<>();
        try (PreparedStatement statement = target.prepareStatement(SYSTEM_TRIGGERS_SQL)) {
            // By name, not regclass: a name that does not resolve (no USAGE on its schema) must not fail the check.
            statement.setArray(1, target.createArrayOf("text", tables.stream().map(TableName::schema).toArray()));
            statement.setArray(2, target.createArrayOf("text", tables.stream().map(TableName::name).toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    withSystemTriggers.add(new TableName(rows.getString(1), rows.getString(2)).toString());
                }
            }
        }
        if (!withSystemTriggers.isEmpty()) {
            throw new FullLoadException(FailureCategory.PREFLIGHT, "the target user " + user + " is not a superuser, and"
                    + " load.trigger-mode = DISABLE_TRIGGERS would have to disable the foreign-key (system) triggers of "
                    + withSystemTriggers + ", which only a superuser may. Use load.trigger-mode = SESSION_REPLICATION_ROLE"
                    + " (on PostgreSQL 15 or later a superuser can run GRANT SET ON PARAMETER session_replication_role TO "
                    + Identifiers.quote(user) + "), NONE (triggers fire, parents load first), or a superuser as target.user");
        }
    }

    public static void disable(Connection target, TableName table) throws SQLException {
        try (Statement statement = target.createStatement()) {
            statement.execute(TargetSql.disableTriggers(table));
        }
        LOG.info("Triggers of {} disabled for its load", table);
    }

    public static void enable(Connection target, TableName table) throws SQLException {
        try (Statement statement = target.createStatement()) {
            statement.execute(TargetSql.enableTriggers(table));
        }
        LOG.info("Triggers of {} enabled again", table);
    }
}
