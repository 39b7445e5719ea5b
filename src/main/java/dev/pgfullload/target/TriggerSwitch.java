package dev.pgfullload.target;

import dev.pgfullload.error.FailureCategory;
import dev.pgfullload.error.FullLoadException;
import dev.pgfullload.error.Problem;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /**
     * SESSION_REPLICATION_ROLE silences only the triggers enabled the ordinary way (O): on the tables the
     * load keeps, a user trigger set ENABLE ALWAYS fires anyway, and one set ENABLE REPLICA fires precisely
     * because of it. Each is a problem, with what to do. Rules need nothing: COPY ignores them.
     */
    public static List<Problem> replicaRoleProblems(Connection target, Collection<TableName> kept) throws SQLException {
        List<Problem> problems = new ArrayList<>();
        if (kept.isEmpty()) {
            return problems;
        }
        try (PreparedStatement statement = target.prepareStatement("""
                SELECT n.nspname, c.relname, t.tgname, t.tgenabled::text
                FROM pg_catalog.pg_trigger t
                JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
                JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                WHERE NOT t.tgisinternal AND t.tgenabled IN ('A', 'R')
                  AND (n.nspname, c.relname) IN (SELECT unnest(?::text[]), unnest(?::text[]))
                ORDER BY 1, 2, 3
                """)) {
            statement.setArray(1, target.createArrayOf("text", kept.stream().map(TableName::schema).toArray()));
            statement.setArray(2, target.createArrayOf("text", kept.stream().map(TableName::name).toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    TableName table = new TableName(rows.getString(1), rows.getString(2));
                    String trigger = rows.getString(3);
                    boolean always = "A".equals(rows.getString(4));
                    String mode = always ? "ENABLE ALWAYS" : "ENABLE REPLICA";
                    problems.add(Problem.preflight("trigger " + trigger + " on table " + table + " is set " + mode + ", so it"
                            + (always ? " fires during the load even under load.trigger-mode = SESSION_REPLICATION_ROLE (the"
                                    + " replica role silences only triggers enabled the ordinary way)"
                                    : " fires during the load precisely because of load.trigger-mode = SESSION_REPLICATION_ROLE"
                                    + " (the replica role fires ENABLE REPLICA triggers)")
                            + ": use load.trigger-mode = DISABLE_TRIGGERS (it switches the trigger off for the load and back"
                            + " to " + mode + " after it), or run ALTER TABLE " + table.quoted() + " ENABLE TRIGGER "
                            + Identifiers.quote(trigger) + " for the load and ALTER TABLE " + table.quoted() + " " + mode
                            + " TRIGGER " + Identifiers.quote(trigger) + " after it"));
                }
            }
        }
        return problems;
    }

    public static void disable(Connection target, TableName table) throws SQLException {
        try (Statement statement = target.createStatement()) {
            statement.execute(TargetSql.disableTriggers(table));
        }
        LOG.info("Triggers of {} disabled for its load", table);
    }

    /**
     * Puts each of the table's triggers back in its recorded state ({@code pg_trigger.tgenabled}: O
     * enabled, D disabled, A ENABLE ALWAYS, R ENABLE REPLICA), internal foreign-key triggers included,
     * in one ALTER TABLE; a trigger dropped meanwhile is left out. With no states recorded (a record of
     * an older version), every trigger is enabled.
     */
    public static void restore(Connection target, TableName table, Map<String, String> states) throws SQLException {
        if (states.isEmpty()) {
            enable(target, table);
            return;
        }
        Map<String, String> current = new LinkedHashMap<>();
        try (PreparedStatement statement = target.prepareStatement("""
                SELECT t.tgname, t.tgenabled::text FROM pg_catalog.pg_trigger t
                JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = ? AND c.relname = ? ORDER BY t.tgname
                """)) {
            statement.setString(1, table.schema());
            statement.setString(2, table.name());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    current.put(rows.getString(1), rows.getString(2));
                }
            }
        }
        List<String> actions = new ArrayList<>();
        current.forEach((name, state) -> {
            String wanted = states.get(name);
            if (wanted != null && !wanted.equals(state)) {
                actions.add(switch (wanted) {
                    case "D" -> "DISABLE TRIGGER ";
                    case "A" -> "ENABLE ALWAYS TRIGGER ";
                    case "R" -> "ENABLE REPLICA TRIGGER ";
                    default -> "ENABLE TRIGGER ";
                } + Identifiers.quote(name));
            }
        });
        if (!actions.isEmpty()) {
            try (Statement statement = target.createStatement()) {
                statement.execute("ALTER TABLE " + table.quoted() + " " + String.join(", ", actions));
            }
        }
        LOG.info("Triggers of {} back in the states they had before the load", table);
    }

    public static void enable(Connection target, TableName table) throws SQLException {
        try (Statement statement = target.createStatement()) {
            statement.execute(TargetSql.enableTriggers(table));
        }
        LOG.info("Triggers of {} enabled again", table);
    }
}
