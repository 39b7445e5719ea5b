package dev.pgfullload.demo;

import dev.pgfullload.app.FullLoadJob;
import dev.pgfullload.testing.SampleDatabase;
import dev.pgfullload.testing.Sql;
import dev.pgfullload.testing.TestingPostgreSQL;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The embedded demo behind {@code submit-scripts/run-local.sh} with no arguments: an embedded
 * PostgreSQL (binaries from Maven, nothing to install), a sample source database, and a full load of
 * it into a target database with DROP_AND_CREATE and SESSION_REPLICATION_ROLE.
 */
public final class EmbeddedDemo {

    private static final List<String> TABLES = List.of("shop.customer", "shop.product", "shop.purchase", "shop.purchase_line");

    private EmbeddedDemo() {
    }

    public static void main(String[] args) throws Exception {
        Path directory = Path.of(args.length > 0 ? args[0] : "target/demo");
        int status = run(directory);
        System.exit(status);
    }

    /** Runs the demo and returns the job's exit status (0 when the load and the checks after it succeeded). */
    public static int run(Path directory) throws IOException {
        Files.createDirectories(directory);
        System.out.println("pg-fullload demo: starting an embedded PostgreSQL ...");
        TestingPostgreSQL postgres = TestingPostgreSQL.startEmbedded();
        try {
            postgres.execute("postgres", "CREATE DATABASE demo_source");
            postgres.execute("postgres", "CREATE DATABASE demo_target");
            postgres.execute("postgres", "CREATE DATABASE demo_restored");
            SampleDatabase.create(postgres, "demo_source");
            // A second target that already has the application's schema: foreign keys and the user trigger in place.
            postgres.execute("demo_restored", SampleDatabase.SCHEMA_SQL);
            System.out.printf("pg-fullload demo: source database demo_source on 127.0.0.1:%d is ready (schema shop:"
                    + " foreign keys, a user trigger, json, jsonb, an enum, arrays, bytea, numeric, timestamptz)%n", postgres.port());
            Path settings = directory.resolve("demo.conf");
            Path restored = directory.resolve("demo-restored.conf");
            Files.writeString(settings, """
                    # Written by the pg-fullload demo.
                    fullload {
                      source { url = "%s", user = "postgres" }
                      target { url = "%s", user = "postgres" }
                      tables { "include" = ["shop.%%"] }
                      load {
                        target-table-prep-mode = DROP_AND_CREATE
                        trigger-mode = SESSION_REPLICATION_ROLE
                      }
                      report.path = "%s"
                    }
                    """.formatted(postgres.jdbcUrl("demo_source"), postgres.jdbcUrl("demo_target"),
                    directory.resolve("fullload-report.json").toString().replace("\\", "/")));
            System.out.println("pg-fullload demo: 1. DROP_AND_CREATE into demo_target, with " + settings);
            int status = FullLoadJob.run(new String[] {"--config", settings.toString()}, System.out, System.err);
            if (status != 0) {
                return status;
            }
            boolean created = compare(postgres, "demo_target");
            System.out.println("pg-fullload demo: 2. TRUNCATE_BEFORE_LOAD into demo_restored, which has the foreign keys"
                    + " and the user trigger, with " + restored);
            Files.writeString(restored, "include \"demo.conf\"\n"
                    + "fullload.target.url = \"" + postgres.jdbcUrl("demo_restored") + "\"\n"
                    + "fullload.load.target-table-prep-mode = TRUNCATE_BEFORE_LOAD\n"
                    + "fullload.report.path = \"" + directory.resolve("fullload-report-restored.json").toString().replace("\\", "/")
                    + "\"\n");
            status = FullLoadJob.run(new String[] {"--config", restored.toString()}, System.out, System.err);
            if (status != 0) {
                return status;
            }
            boolean truncated = compare(postgres, "demo_restored");
            long audited = Sql.count(postgres, "demo_restored", "SELECT count(*) FROM shop.audit_log");
            long touched = Sql.count(postgres, "demo_restored",
                    "SELECT count(*) FROM shop.customer WHERE last_update = '1999-01-01 00:00:00+00'");
            System.out.printf("  the user trigger did not fire under session_replication_role = replica:"
                    + " %d audit rows, %d rows changed by it%n", audited, touched);
            System.out.printf("  json and jsonb arrived as text: %s%n", Sql.column(postgres, "demo_target", """
                    SELECT table_name || '.' || column_name || ' ' || data_type FROM information_schema.columns
                    WHERE table_schema = 'shop' AND column_name IN ('profile', 'attributes') ORDER BY 1"""));
            return created && truncated && audited == 0 && touched == 0 ? 0 : 4;
        } finally {
            try {
                postgres.close();
            } catch (Exception e) {
                System.err.println("pg-fullload demo: could not stop the embedded PostgreSQL: " + e.getMessage());
            }
        }
    }

    private static boolean compare(TestingPostgreSQL postgres, String target) {
        boolean same = true;
        System.out.println("pg-fullload demo: demo_source and " + target + " compared row by row:");
        for (String table : TABLES) {
            String source = Sql.checksum(postgres, "demo_source", table);
            boolean equal = source.equals(Sql.checksum(postgres, target, table));
            same &= equal;
            System.out.printf("  %-20s %8s rows  %s%n", table, source.substring(0, source.indexOf(':')),
                    equal ? "identical" : "DIFFERENT");
        }
        return same;
    }
}
