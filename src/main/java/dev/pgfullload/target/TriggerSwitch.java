package dev.pgfullload.target;

import dev.pgfullload.source.TableName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** DISABLE_TRIGGERS mode: all triggers of a table off for its load, and back on afterwards, whatever happened. */
public final class TriggerSwitch {

    private static final Logger LOG = LoggerFactory.getLogger(TriggerSwitch.class);

    private TriggerSwitch() {
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
