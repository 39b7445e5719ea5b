package dev.pgfullload.write;

import dev.pgfullload.source.TableName;
import dev.pgfullload.testing.SampleDatabase;
import dev.pgfullload.testing.Sql;
import dev.pgfullload.testing.TestingJob;
import dev.pgfullload.testing.TestingPostgreSQL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** A partition that fails midway is retried by Spark: every row once, none twice. */
class ExactlyOnceIT {

    private final TestingPostgreSQL postgres = TestingPostgreSQL.shared();

    @TempDir
    Path directory;

    @Test
    void aTaskThatFailsOnceInTheMiddleOfItsPartitionIsRetriedWithoutDuplicates() {
        String source = postgres.createDatabase("once_src");
        String target = postgres.createDatabase("once_dst");
        SampleDatabase.create(postgres, source);
        postgres.execute(source, "ANALYZE");
        // purchase_line has 6000 rows: 12 partitions of 500; partition 3 fails after 250 rows, once.
        FaultInjection.failOnce(new TableName("shop", "purchase_line"), 3, 250);
        TestingJob.Outcome outcome = TestingJob.run(TestingJob.settingsFile(directory, postgres, source, target,
                "fullload.tables { \"include\" = [\"shop.%\"] }"), "load.target-table-prep-mode=DO_NOTHING",
                "load.rows-per-partition=500", "validation.mode=CHECKSUM");
        assertEquals(0, outcome.status(), outcome.out() + outcome.err());
        assertFalse(FaultInjection.armed(), "the fault fired");
        assertEquals(6000, Sql.count(postgres, target, "SELECT count(*) FROM shop.purchase_line"));
        assertEquals(0, Sql.count(postgres, target,
                "SELECT count(*) FROM (SELECT 1 FROM shop.purchase_line GROUP BY purchase_id, line_no HAVING count(*) > 1) d"));
        assertEquals(Sql.checksum(postgres, source, "shop.purchase_line"), Sql.checksum(postgres, target, "shop.purchase_line"));
        long partitions = Sql.count(postgres, target,
                "SELECT count(*) FROM fullload_control.partitions WHERE target_table = 'shop.purchase_line'");
        assertEquals(partitions, Sql.count(postgres, target,
                "SELECT count(DISTINCT partition) FROM fullload_control.partitions WHERE target_table = 'shop.purchase_line'"));
        assertEquals(6000, Sql.count(postgres, target,
                "SELECT sum(rows) FROM fullload_control.partitions WHERE target_table = 'shop.purchase_line'"));
    }

    @Test
    void aSessionTerminatedInTheMiddleOfItsCopyIsRetriedWithoutDuplicates() throws Exception {
        String source = postgres.createDatabase("kill_src");
        String target = postgres.createDatabase("kill_dst");
        postgres.execute(source, """
                CREATE TABLE public.big (id bigint PRIMARY KEY, payload text NOT NULL);
                INSERT INTO public.big SELECT g, repeat(md5(g::text), 8) FROM generate_series(1, 400000) g;
                ANALYZE public.big;
                """);
        AtomicInteger terminated = new AtomicInteger();
        Thread killer = new Thread(() -> {
            try (Connection admin = postgres.connect("postgres"); Statement statement = admin.createStatement()) {
                long deadline = System.nanoTime() + 120_000_000_000L;
                while (terminated.get() == 0 && System.nanoTime() < deadline) {
                    try (ResultSet rows = statement.executeQuery("""
                            SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                            WHERE datname = '%s' AND query LIKE 'COPY "public"."big"%%' AND state = 'active'
                            LIMIT 1""".formatted(target))) {
                        if (rows.next() && rows.getBoolean(1)) {
                            terminated.incrementAndGet();
                        }
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        killer.start();
        TestingJob.Outcome outcome = TestingJob.run(TestingJob.settingsFile(directory, postgres, source, target,
                "fullload.tables { \"include\" = [\"public.big\"] }"), "load.target-table-prep-mode=DROP_AND_CREATE",
                "load.rows-per-partition=100000");
        killer.join();
        assertEquals(1, terminated.get(), "a COPY session was terminated during the load");
        assertEquals(0, outcome.status(), outcome.out() + outcome.err());
        assertEquals(400000, Sql.count(postgres, target, "SELECT count(*) FROM public.big"));
        assertEquals(Sql.checksum(postgres, source, "public.big"), Sql.checksum(postgres, target, "public.big"));
    }
}
