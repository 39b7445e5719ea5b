package dev.pgfullload.load;

import dev.pgfullload.testing.ReportFile;
import dev.pgfullload.testing.Sql;
import dev.pgfullload.testing.TestingJob;
import dev.pgfullload.testing.TestingPostgreSQL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * load.trigger-mode against a target that already has the application's foreign keys and a user
 * trigger (DO_NOTHING). The child tables are the largest, and tables load largest first: with
 * SESSION_REPLICATION_ROLE and DISABLE_TRIGGERS one table at a time, every child is written before its
 * parent (checked through the rows' xmin); with several at a time they load together.
 */
class TriggerModesIT {

    private static final TestingPostgreSQL postgres = TestingPostgreSQL.shared();

    private static final String SCHEMA = """
            CREATE SCHEMA crm;
            CREATE TABLE crm.account (
                account_id integer PRIMARY KEY,
                name text NOT NULL,
                last_update timestamptz NOT NULL
            );
            CREATE TABLE crm.contact (
                contact_id integer PRIMARY KEY,
                account_id integer NOT NULL REFERENCES crm.account,
                email text,
                last_update timestamptz NOT NULL
            );
            CREATE TABLE crm.activity (
                activity_id bigint PRIMARY KEY,
                contact_id integer NOT NULL REFERENCES crm.contact,
                kind text NOT NULL,
                note text,
                last_update timestamptz NOT NULL
            );
            """;

    /** Children first, with the source's own foreign keys out of the way. */
    private static final String DATA = """
            SET session_replication_role = replica;
            INSERT INTO crm.activity
            SELECT a, 1 + a % 500, (ARRAY['mail', 'call', 'visit'])[1 + a % 3], CASE WHEN a % 4 = 0 THEN NULL ELSE 'note ' || a END,
                   timestamptz '2024-03-01 10:00:00+00' + a * interval '1 minute'
            FROM generate_series(1, 6000) a;
            INSERT INTO crm.contact
            SELECT c, 1 + c % 50, 'contact' || c || '@example.com', timestamptz '2024-02-01 10:00:00+00' + c * interval '1 hour'
            FROM generate_series(1, 500) c;
            INSERT INTO crm.account
            SELECT a, 'Account ' || a, timestamptz '2024-01-01 10:00:00+00' + a * interval '1 day'
            FROM generate_series(1, 50) a;
            RESET session_replication_role;
            """;

    /** In the target: a trigger on every table that rewrites the row and writes an audit row when it fires. */
    private static final String USER_TRIGGERS = """
            CREATE SCHEMA audit;
            CREATE TABLE audit.log (id bigserial PRIMARY KEY, table_name text NOT NULL, operation text NOT NULL);
            CREATE FUNCTION audit.touch() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                NEW.last_update := timestamptz '1999-01-01 00:00:00+00';
                INSERT INTO audit.log (table_name, operation) VALUES (TG_TABLE_NAME, TG_OP);
                RETURN NEW;
            END $$;
            CREATE TRIGGER account_touch BEFORE INSERT OR UPDATE ON crm.account FOR EACH ROW EXECUTE FUNCTION audit.touch();
            CREATE TRIGGER contact_touch BEFORE INSERT OR UPDATE ON crm.contact FOR EACH ROW EXECUTE FUNCTION audit.touch();
            CREATE TRIGGER activity_touch BEFORE INSERT OR UPDATE ON crm.activity FOR EACH ROW EXECUTE FUNCTION audit.touch();
            """;

    private static final List<String> TABLES = List.of("crm.account", "crm.contact", "crm.activity");

    private static final String TRIGGERS_OF_CRM = """
            SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            WHERE c.relnamespace = 'crm'::regnamespace""";

    private static String source;

    @TempDir
    Path directory;

    @BeforeAll
    static void createSource() {
        source = postgres.createDatabase("trig_src");
        postgres.execute(source, SCHEMA);
        postgres.execute(source, DATA);
    }

    @Test
    void sessionReplicationRoleKeepsForeignKeysAndUserTriggersFromFiring() {
        String target = preparedTarget("trig_replica");

        TestingJob.Outcome outcome = run(target, "SESSION_REPLICATION_ROLE", "load.max-full-load-subtasks=1");

        assertEquals(0, outcome.status(), outcome.out() + outcome.err());
        assertLoadOrder(target, "crm.activity", "crm.contact", "crm.account");
        assertEquals(0, Sql.count(postgres, target, "SELECT count(*) FROM audit.log"));
        assertRowsExact(target);
        assertEquals(2, Sql.count(postgres, target, "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND connamespace = 'crm'::regnamespace"));
    }

    @Test
    void disableTriggersKeepsTriggersFromFiringAndEnablesEveryTriggerAgain() {
        String target = preparedTarget("trig_disable");

        TestingJob.Outcome outcome = run(target, "DISABLE_TRIGGERS", "load.max-full-load-subtasks=1");

        assertEquals(0, outcome.status(), outcome.out() + outcome.err());
        assertLoadOrder(target, "crm.activity", "crm.contact", "crm.account");
        assertEquals(0, Sql.count(postgres, target, "SELECT count(*) FROM audit.log"));
        assertRowsExact(target);
        assertEveryTriggerEnabled(target);
    }

    @Test
    void disableTriggersEnablesEveryTriggerAgainWhenATableFails() {
        String target = preparedTarget("trig_disable_fail");
        // One in three source activities is a call: the target refuses them.
        postgres.execute(target, "ALTER TABLE crm.activity ADD CONSTRAINT activity_no_calls CHECK (kind <> 'call')");

        TestingJob.Outcome outcome = run(target, "DISABLE_TRIGGERS");

        assertEquals(4, outcome.status(), outcome.out() + outcome.err());
        ReportFile report = ReportFile.read(outcome.report());
        assertEquals("failed", report.table("crm.activity").path("state").asText(), report.toString());
        String error = report.table("crm.activity").path("error").asText();
        assertTrue(error.contains("violates check constraint \"activity_no_calls\""), error);
        assertEquals("loaded", report.table("crm.account").path("state").asText(), report.toString());
        assertEquals("loaded", report.table("crm.contact").path("state").asText(), report.toString());
        assertEquals(0, Sql.count(postgres, target, "SELECT count(*) FROM crm.activity"));
        for (String table : List.of("crm.account", "crm.contact")) {
            assertEquals(Sql.checksum(postgres, source, table), Sql.checksum(postgres, target, table), table);
        }
        assertEquals(0, Sql.count(postgres, target, "SELECT count(*) FROM audit.log"));
        assertEveryTriggerEnabled(target);
    }

    @Test
    void noneFiresTriggersAndLoadsParentsFirst() {
        String target = preparedTarget("trig_none");

        TestingJob.Outcome outcome = run(target, "NONE");

        assertEquals(0, outcome.status(), outcome.out() + outcome.err());
        assertLoadOrder(target, "crm.account", "crm.contact", "crm.activity");
        for (String table : TABLES) {
            String name = table.substring("crm.".length());
            assertEquals(Sql.count(postgres, source, "SELECT count(*) FROM " + table),
                    Sql.count(postgres, target, "SELECT count(*) FROM audit.log WHERE operation = 'INSERT' AND table_name = '" + name + "'"),
                    table);
            // The trigger rewrote last_update; every other column arrived as it is in the source.
            assertEquals(List.of("1999-01-01 00:00:00+00"), Sql.column(postgres, target,
                    "SELECT DISTINCT last_update AT TIME ZONE 'UTC' || '+00' FROM " + table));
            String withoutLastUpdate = "(SELECT to_jsonb(r) - 'last_update' AS doc FROM " + table + " r)";
            assertEquals(Sql.checksum(postgres, source, withoutLastUpdate), Sql.checksum(postgres, target, withoutLastUpdate), table);
        }
        // With the foreign keys checked row by row, every child row found its parent.
        assertEquals(2, Sql.count(postgres, target, "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND connamespace = 'crm'::regnamespace"));
    }

    @Test
    void noneRefusesACycleOfTargetForeignKeysBeforeTruncatingAnything() {
        String target = preparedTarget("trig_none_cycle");
        // Only the target has this key, and with it account and contact reference each other.
        postgres.execute(target, """
                ALTER TABLE crm.account ADD COLUMN primary_contact integer;
                INSERT INTO crm.account VALUES (900, 'stale', now(), NULL);
                INSERT INTO crm.contact VALUES (900, 900, 'stale@example.com', now());
                UPDATE crm.account SET primary_contact = 900;
                ALTER TABLE crm.account ADD CONSTRAINT account_primary_contact_fk FOREIGN KEY (primary_contact) REFERENCES crm.contact;
                TRUNCATE audit.log;
                """);

        TestingJob.Outcome outcome = run(target, "NONE", "load.target-table-prep-mode=TRUNCATE_BEFORE_LOAD");

        assertEquals(3, outcome.status(), outcome.out() + outcome.err());
        assertEquals("tables [crm.account, crm.contact] reference each other in a cycle of foreign keys, so"
                + " load.trigger-mode = NONE cannot load parents first: use SESSION_REPLICATION_ROLE or DISABLE_TRIGGERS",
                ReportFile.read(outcome.report()).error());
        assertEquals(List.of("900"), Sql.column(postgres, target, "SELECT account_id FROM crm.account"));
        assertEquals(List.of("900"), Sql.column(postgres, target, "SELECT contact_id FROM crm.contact"));
        assertEquals(0, Sql.count(postgres, target, "SELECT count(*) FROM audit.log"));
    }

    /** A target with the application's tables, foreign keys and user triggers, and no rows. */
    private String preparedTarget(String prefix) {
        String target = postgres.createDatabase(prefix);
        postgres.execute(target, SCHEMA);
        postgres.execute(target, USER_TRIGGERS);
        return target;
    }

    private TestingJob.Outcome run(String target, String triggerMode, String... more) {
        List<String> overrides = new ArrayList<>(List.of("load.target-table-prep-mode=DO_NOTHING", "load.trigger-mode=" + triggerMode));
        overrides.addAll(List.of(more));
        return TestingJob.run(TestingJob.settingsFile(directory, postgres, source, target, "fullload.tables.include = [\"crm.%\"]"),
                overrides.toArray(String[]::new));
    }

    /**
     * The tables were written one after the other in this order: every row of a table was written by
     * transactions that started after those of the table before it.
     */
    private static void assertLoadOrder(String target, String... tables) {
        for (int i = 1; i < tables.length; i++) {
            long lastOfEarlier = Sql.count(postgres, target, "SELECT max(xmin::text::bigint) FROM " + tables[i - 1]);
            long firstOfLater = Sql.count(postgres, target, "SELECT min(xmin::text::bigint) FROM " + tables[i]);
            assertTrue(lastOfEarlier < firstOfLater, tables[i - 1] + " was not written entirely before " + tables[i]);
        }
    }

    private void assertRowsExact(String target) {
        for (String table : TABLES) {
            assertEquals(Sql.checksum(postgres, source, table), Sql.checksum(postgres, target, table), table);
        }
    }

    /** Every trigger of the crm tables, the foreign keys' internal ones included, is enabled ('O'). */
    private static void assertEveryTriggerEnabled(String target) {
        // Three user triggers, and two on each side of each of the two foreign keys.
        assertEquals(11, Sql.count(postgres, target, TRIGGERS_OF_CRM));
        assertEquals(8, Sql.count(postgres, target, TRIGGERS_OF_CRM + " AND t.tgisinternal"));
        assertEquals(List.of(), Sql.column(postgres, target, """
                SELECT c.relname || '.' || t.tgname || '=' || t.tgenabled::text FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                WHERE c.relnamespace = 'crm'::regnamespace AND t.tgenabled <> 'O' ORDER BY 1"""));
    }
}
