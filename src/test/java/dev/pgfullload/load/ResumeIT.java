package dev.pgfullload.load;

import dev.pgfullload.app.FullLoadJob;
import dev.pgfullload.testing.ReportFile;
import dev.pgfullload.testing.Sql;
import dev.pgfullload.testing.TestingJob;
import dev.pgfullload.testing.TestingPostgreSQL;
import dev.pgfullload.testing.TestingSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The driver killed with SIGKILL in the middle of a multi-table load with DISABLE_TRIGGERS, then the
 * same run id run again: every table exact, no row twice, every trigger on, and the report says what
 * was resumed and repaired.
 */
class ResumeIT {

    private static final List<String> TABLES = List.of("app.parent", "app.child", "app.other");
    private static final String SCHEMA = """
            CREATE SCHEMA app;
            CREATE TABLE app.parent (id bigint PRIMARY KEY, payload text NOT NULL);
            CREATE TABLE app.child (id bigint PRIMARY KEY, parent_id bigint NOT NULL REFERENCES app.parent, payload text NOT NULL);
            CREATE TABLE app.other (id bigint PRIMARY KEY, payload text NOT NULL);
            CREATE TABLE app.audit (n bigint);
            CREATE FUNCTION app.audit() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN INSERT INTO app.audit VALUES (NEW.id); RETURN NEW; END $$;
            CREATE TRIGGER parent_audit BEFORE INSERT ON app.parent FOR EACH ROW EXECUTE FUNCTION app.audit();
            CREATE TRIGGER child_audit BEFORE INSERT ON app.child FOR EACH ROW EXECUTE FUNCTION app.audit();
            CREATE TRIGGER other_audit BEFORE INSERT ON app.other FOR EACH ROW EXECUTE FUNCTION app.audit();
            """;

    private final TestingPostgreSQL postgres = TestingPostgreSQL.shared();

    @TempDir
    Path directory;

    @Test
    void aKilledRunResumesWithItsRunIdAndEndsExact() throws Exception {
        String source = postgres.createDatabase("resume_src");
        String target = postgres.createDatabase("resume_dst");
        postgres.execute(source, SCHEMA);
        postgres.execute(source, """
                SET session_replication_role = replica;
                INSERT INTO app.parent SELECT g, repeat(md5(g::text), 6) FROM generate_series(1, 150000) g;
                INSERT INTO app.child SELECT g, 1 + g % 150000, repeat(md5(g::text), 6) FROM generate_series(1, 150000) g;
                INSERT INTO app.other SELECT g, repeat(md5(g::text), 6) FROM generate_series(1, 150000) g;
                ANALYZE;
                """);
        postgres.execute(target, SCHEMA);
        Path settings = TestingJob.settingsFile(directory, postgres, source, target, """
                fullload.tables { "include" = ["app.parent", "app.child", "app.other"] }
                fullload.load { trigger-mode = DISABLE_TRIGGERS, rows-per-partition = 10000, max-full-load-subtasks = 1 }
                """);

        Path log = directory.resolve("killed-run.log");
        Process run = new ProcessBuilder("bash", "submit-scripts/run-local.sh", "--config", settings.toString(),
                "--run-id", "nightly-42")
                .directory(Path.of(System.getProperty("user.dir")).toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (committedPartitions(target) < 3) {
            assertTrue(run.isAlive(), "the run ended before it could be killed:\n" + Files.readString(log));
            assertTrue(System.nanoTime() < deadline, "no partition was committed in time:\n" + Files.readString(log));
            TimeUnit.MILLISECONDS.sleep(20);
        }
        run.destroyForcibly();
        assertTrue(run.waitFor(1, TimeUnit.MINUTES));
        // The run died mid-load: some rows are in, and a table's triggers are off, recorded as such.
        assertEquals("running", Sql.scalar(postgres, target, "SELECT state FROM fullload_control.runs WHERE run_id = 'nightly-42'"));
        assertEquals(1, Sql.count(postgres, target, "SELECT count(*) FROM fullload_control.disabled_triggers"));
        long committedBefore = committedPartitions(target);

        TestingSpark.session();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = FullLoadJob.run(new String[] {"--config", settings.toString(), "--run-id", "nightly-42"},
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, printed);
        for (String table : TABLES) {
            assertEquals(Sql.checksum(postgres, source, table), Sql.checksum(postgres, target, table), table);
        }
        assertEquals(0, Sql.count(postgres, target, "SELECT count(*) FROM app.audit"));
        assertEquals(List.of("O"), Sql.column(postgres, target, """
                SELECT DISTINCT tgenabled::text FROM pg_trigger WHERE tgrelid IN ('app.parent'::regclass, 'app.child'::regclass,
                'app.other'::regclass)"""));
        assertEquals(0, Sql.count(postgres, target, "SELECT count(*) FROM fullload_control.disabled_triggers"));
        assertEquals(committedPartitions(target), Sql.count(postgres, target,
                "SELECT count(DISTINCT (target_table, partition)) FROM fullload_control.partitions WHERE run_id = 'nightly-42'"));
        assertTrue(committedPartitions(target) > committedBefore);
        assertEquals("succeeded", Sql.scalar(postgres, target, "SELECT state FROM fullload_control.runs WHERE run_id = 'nightly-42'"));
        ReportFile report = ReportFile.read(directory.resolve("report.json"));
        assertThat(report.root().get("preparation").toString()).contains("resumed run nightly-42 (it was running)")
                .containsPattern("enabled the triggers of app\\.(parent|child|other), which run nightly-42 left disabled");
    }

    private long committedPartitions(String target) {
        if (Sql.count(postgres, target, "SELECT count(*) FROM pg_tables WHERE schemaname = 'fullload_control' AND tablename = 'partitions'") == 0) {
            return 0;
        }
        return Sql.count(postgres, target, "SELECT count(*) FROM fullload_control.partitions WHERE run_id = 'nightly-42'");
    }
}
