package dev.pgfullload.load;

import dev.pgfullload.source.TableName;
import dev.pgfullload.testing.Sql;
import dev.pgfullload.testing.TestingPostgreSQL;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The control tables' record of switched-off triggers: a restore on behalf of one run leaves alone a
 * table that another run has recorded since, as a repair that listed the ended run's tables before that
 * run took the table over would otherwise switch the live run's triggers back on.
 */
class TriggerRecordsIT {

    private static final TestingPostgreSQL postgres = TestingPostgreSQL.shared();

    @Test
    void aRestoreForOneRunLeavesATableAnotherRunHasRecordedSinceAsItIs() throws SQLException {
        String target = postgres.createDatabase("trig_records");
        postgres.execute(target, """
                CREATE SCHEMA app;
                CREATE TABLE app.t (id int PRIMARY KEY, v text);
                CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.v := 'fired'; RETURN NEW; END $$;
                CREATE TRIGGER t_touch BEFORE INSERT ON app.t FOR EACH ROW EXECUTE FUNCTION app.touch();
                """);
        ControlTables control = new ControlTables("fullload_control");
        TableName table = new TableName("app", "t");
        try (Connection connection = postgres.connect(target)) {
            control.ensure(connection);
            // Run "ended" switched them off and died; run "live" has taken the table over since.
            control.disableTriggers(connection, "ended", table);
            control.disableTriggers(connection, "live", table);

            assertFalse(control.restoreTriggers(connection, table, "ended"));
            assertEquals("D", Sql.scalar(postgres, target, "SELECT tgenabled FROM pg_trigger WHERE tgname = 't_touch'"));
            assertEquals("live", Sql.scalar(postgres, target, "SELECT run_id FROM fullload_control.disabled_triggers"));

            assertTrue(control.restoreTriggers(connection, table, "live"));
            assertEquals("O", Sql.scalar(postgres, target, "SELECT tgenabled FROM pg_trigger WHERE tgname = 't_touch'"));
            assertEquals(0, Sql.count(postgres, target, "SELECT count(*) FROM fullload_control.disabled_triggers"));
        }
    }
}
