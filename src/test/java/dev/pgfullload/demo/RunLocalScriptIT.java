package dev.pgfullload.demo;

import dev.pgfullload.testing.SampleDatabase;
import dev.pgfullload.testing.Sql;
import dev.pgfullload.testing.TestingJob;
import dev.pgfullload.testing.TestingPostgreSQL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code submit-scripts/run-local.sh} as a user runs it, in its own process: FullLoadJob's main with
 * its real exit status, and the embedded demo.
 */
class RunLocalScriptIT {

    @TempDir
    Path directory;

    @Test
    void theDemoLoadsTheSampleDatabaseAndExitsZero() throws Exception {
        Result result = run(List.of());
        assertEquals(0, result.status(), result.output());
        assertThat(result.output()).contains("SUCCEEDED")
                .containsPattern("shop\\.purchase_line +6000 rows  identical")
                .doesNotContain("DIFFERENT")
                .contains("the user trigger did not fire under session_replication_role = replica: 0 audit rows, 0 rows changed by it")
                .contains("json and jsonb arrived as text: [customer.profile text, product.attributes text]");
    }

    @Test
    void aSettingsFileRunsThroughMainWithItsExitStatus() throws Exception {
        TestingPostgreSQL postgres = TestingPostgreSQL.shared();
        String source = postgres.createDatabase("script_src");
        String target = postgres.createDatabase("script_dst");
        SampleDatabase.create(postgres, source);
        Path settings = TestingJob.settingsFile(directory, postgres, source, target, "fullload.tables { \"include\" = [\"shop.%\"] }");

        Result loaded = run(List.of("--config", settings.toString(), "--set", "load.target-table-prep-mode=DROP_AND_CREATE"));
        assertEquals(0, loaded.status(), loaded.output());
        assertEquals(Sql.checksum(postgres, source, "shop.purchase"), Sql.checksum(postgres, target, "shop.purchase"));
        assertTrue(Files.exists(directory.resolve("report.json")));

        Result refused = run(List.of("--config", settings.toString(), "--set", "load.trigger-mode=SOMETIMES"));
        assertEquals(2, refused.status(), refused.output());
        assertThat(refused.output()).contains("fullload.load.trigger-mode: expected one of SESSION_REPLICATION_ROLE, DISABLE_TRIGGERS, NONE (got SOMETIMES)");
    }

    private record Result(int status, String output) {
    }

    private Result run(List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", "submit-scripts/run-local.sh"));
        command.addAll(arguments);
        Path log = directory.resolve("run-local-" + System.nanoTime() + ".log");
        Process process = new ProcessBuilder(command)
                .directory(Path.of(System.getProperty("user.dir")).toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("run-local.sh did not finish in 5 minutes:\n" + Files.readString(log));
        }
        return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
