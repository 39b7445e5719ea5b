package dev.pgfullload.load;

import dev.pgfullload.testing.Sql;
import dev.pgfullload.testing.TestingJob;
import dev.pgfullload.testing.TestingPostgreSQL;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A load that runs on another thread while a test changes the source under it: a big table, loaded
 * first, gives the test its time, and a small one is planned and read after it.
 */
final class LoadInFlight {

    private LoadInFlight() {
    }

    /** {@code schema.big} (200,000 rows of 140 bytes) and {@code schema.small} ({@code smallRows} rows), analyzed. */
    static void createBigAndSmall(TestingPostgreSQL postgres, String database, String schema, int smallRows) {
        postgres.execute(database, "CREATE SCHEMA " + schema + ";"
                + " CREATE TABLE " + schema + ".big (id bigint PRIMARY KEY, pad text NOT NULL);"
                + " INSERT INTO " + schema + ".big SELECT g, repeat(md5(g::text), 4) FROM generate_series(1, 200000) g;"
                + " CREATE TABLE " + schema + ".small (id bigint PRIMARY KEY, v integer NOT NULL);"
                + " INSERT INTO " + schema + ".small SELECT g, g FROM generate_series(1, " + smallRows + ") g;"
                + " ANALYZE " + schema + ".big; ANALYZE " + schema + ".small");
    }

    /** Starts the load on another thread and returns once it holds its snapshot of {@code source}, still running. */
    static CompletableFuture<TestingJob.Outcome> startAndAwaitSnapshot(TestingPostgreSQL postgres, String source, Path settings,
                                                                      String... overrides) {
        CompletableFuture<TestingJob.Outcome> load = CompletableFuture.supplyAsync(() -> TestingJob.run(settings, overrides));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> load.isDone()
                || Sql.count(postgres, source, "SELECT count(*) FROM pg_stat_activity"
                        + " WHERE application_name LIKE 'pg-fullload % snapshot' AND state = 'idle in transaction'") > 0);
        assertFalse(load.isDone(), () -> "the load ended before it held a snapshot: " + load.join().out());
        return load;
    }

    /** Waits until the run has prepared the target (it takes the source's snapshot first): {@code table} exists there. */
    static void awaitPrepared(TestingPostgreSQL postgres, String target, String table) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> Sql.count(postgres, target,
                "SELECT count(*) FROM pg_class WHERE oid = to_regclass('" + table + "')") == 1);
    }
}
