package dev.pgfullload.app;

import dev.pgfullload.testing.JobProcess;
import dev.pgfullload.testing.ReportFile;
import dev.pgfullload.testing.Sql;
import dev.pgfullload.testing.TestingPostgreSQL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Passwords never show: a load by password-protected roles that are not superusers, in a JVM of its
 * own with Spark's event log on and everything logged at INFO, then every byte it printed and wrote
 * (stdout, stderr, the JSON report, the event log, the settings the control tables keep) is searched
 * for the passwords, which travel only in environment variables the settings file substitutes.
 */
class SecretsIT {

    private static final TestingPostgreSQL postgres = TestingPostgreSQL.shared();

    private static final String SOURCE_PASSWORD = "src-" + UUID.randomUUID();
    private static final String TARGET_PASSWORD = "tgt-" + UUID.randomUUID();
    /** The source's TLS key password: with ssl.mode = disable the driver never uses it, but it travels as a COPY option. */
    private static final String KEY_PASSWORD = "key-" + UUID.randomUUID();

    private static String source;
    private static String reader;

    @TempDir
    Path directory;

    @BeforeAll
    static void createSource() {
        source = postgres.createDatabase("secret_src");
        reader = "reader_" + source;
        postgres.execute(source, """
                CREATE SCHEMA sec;
                CREATE TABLE sec.account (account_id bigserial PRIMARY KEY, name text NOT NULL, profile jsonb);
                INSERT INTO sec.account (name, profile) SELECT 'account ' || a, jsonb_build_object('a', a) FROM generate_series(1, 500) a;
                CREATE TABLE sec.entry (entry_id integer PRIMARY KEY, account_id bigint REFERENCES sec.account, amount numeric(12,2));
                INSERT INTO sec.entry SELECT e, 1 + e % 500, e * 0.5 FROM generate_series(1, 3000) e;
                """);
        // The least-privilege reader of the README: it may read every table, and nothing else.
        postgres.execute("postgres", "CREATE ROLE " + reader + " LOGIN PASSWORD '" + SOURCE_PASSWORD + "';"
                + " GRANT pg_read_all_data TO " + reader);
    }

    @Test
    void noPasswordShowsInOutputReportEventLogOrControlTables() throws IOException {
        String target = postgres.createDatabase("secret_dst");
        String writer = "writer_" + target;
        postgres.execute("postgres", "CREATE ROLE " + writer + " LOGIN PASSWORD '" + TARGET_PASSWORD + "';"
                + " ALTER DATABASE " + target + " OWNER TO " + writer + ";"
                + " GRANT SET ON PARAMETER session_replication_role TO " + writer);
        Path events = Files.createDirectories(directory.resolve("events"));

        JobProcess.Result result = JobProcess.run(directory, passwords(TARGET_PASSWORD), eventLogSettings(events),
                List.of("--config", settings(target, writer).toString(), "--set", "validation.mode=CHECKSUM"));

        assertEquals(0, result.status(), result.output());
        for (String table : List.of("sec.account", "sec.entry")) {
            assertEquals(Sql.checksum(postgres, source, table), Sql.checksum(postgres, target, table), table);
        }
        // The places were there to search: Spark ran with its event log, the report and the control tables were written.
        assertTrue(result.err().contains("Running Spark version"), result.err());
        String eventLog = eventLogText(events);
        assertTrue(eventLog.contains("SparkListenerApplicationStart") && eventLog.contains("SparkListenerJobStart"), eventLog);
        String report = Files.readString(directory.resolve("report.json"));
        String reported = ReportFile.read(directory.resolve("report.json")).root().path("settings").asText();
        assertTrue(reported.contains("password=\"***\"") && reported.contains("key-password=\"***\""), reported);
        String recorded = String.join("\n", Sql.column(postgres, target, "SELECT settings FROM fullload_control.runs"));
        assertTrue(recorded.contains("key-password=\"***\""), recorded);

        Map<String, String> places = new LinkedHashMap<>();
        places.put("stdout", result.out());
        places.put("stderr", result.err());
        places.put("report", report);
        places.put("event log", eventLog);
        places.put("runs.settings", recorded);
        assertNoSecret(places, SOURCE_PASSWORD, TARGET_PASSWORD, KEY_PASSWORD);
    }

    @Test
    void aWrongPasswordIsNotEchoed() throws IOException {
        String target = postgres.createDatabase("secret_wrong");
        String writer = "writer_" + target;
        postgres.execute("postgres", "CREATE ROLE " + writer + " LOGIN PASSWORD '" + TARGET_PASSWORD + "'");
        String wrong = "wrong-" + UUID.randomUUID();
        Path events = Files.createDirectories(directory.resolve("events"));

        JobProcess.Result result = JobProcess.run(directory, passwords(wrong), eventLogSettings(events),
                List.of("--config", settings(target, writer).toString()));

        assertEquals(3, result.status(), result.output());
        assertTrue(result.output().contains("password authentication failed for user " + writer + " on the target database "
                + postgres.jdbcUrl(target) + ": check target.user and the password (target.password or target.password-file)"),
                result.output());
        Map<String, String> places = new LinkedHashMap<>();
        places.put("stdout", result.out());
        places.put("stderr", result.err());
        places.put("report", Files.readString(directory.resolve("report.json")));
        places.put("event log", eventLogText(events));
        assertNoSecret(places, wrong, SOURCE_PASSWORD, TARGET_PASSWORD, KEY_PASSWORD);
    }

    /** The settings file names no password: each comes from the environment. */
    private Path settings(String target, String writer) throws IOException {
        Path file = directory.resolve("secret.conf");
        Files.writeString(file, """
                fullload {
                  source {
                    url = "%s"
                    user = "%s"
                    password = ${?PGFL_SOURCE_PASSWORD}
                    ssl { mode = disable, key-password = ${?PGFL_SOURCE_KEY_PASSWORD} }
                  }
                  target {
                    url = "%s"
                    user = "%s"
                    password = ${?PGFL_TARGET_PASSWORD}
                  }
                  tables { "include" = ["sec.%%"] }
                  load.target-table-prep-mode = DROP_AND_CREATE
                  report.path = "%s"
                }
                """.formatted(postgres.jdbcUrl(source), reader, postgres.jdbcUrl(target), writer,
                directory.resolve("report.json").toString().replace("\\", "/")));
        return file;
    }

    private static Map<String, String> passwords(String targetPassword) {
        return Map.of("PGFL_SOURCE_PASSWORD", SOURCE_PASSWORD, "PGFL_TARGET_PASSWORD", targetPassword,
                "PGFL_SOURCE_KEY_PASSWORD", KEY_PASSWORD);
    }

    private static Map<String, String> eventLogSettings(Path events) {
        return Map.of("spark.eventLog.enabled", "true", "spark.eventLog.dir", events.toUri().toString(),
                "spark.eventLog.compress", "false");
    }

    /** Every event log file Spark wrote, as text. */
    private static String eventLogText(Path events) throws IOException {
        StringBuilder text = new StringBuilder();
        try (var files = Files.walk(events)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                text.append(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
            }
        }
        return text.toString();
    }

    private static void assertNoSecret(Map<String, String> places, String... secrets) {
        List<String> found = new ArrayList<>();
        places.forEach((place, text) -> {
            for (String secret : secrets) {
                if (text.contains(secret)) {
                    found.add(secret + " in the " + place);
                }
            }
        });
        assertFalse(places.get("stderr").isEmpty(), "nothing was logged");
        assertEquals(List.of(), found);
    }
}
