package dev.pgfullload.write;

import dev.pgfullload.testing.ReportFile;
import dev.pgfullload.testing.Sql;
import dev.pgfullload.testing.TestingJob;
import dev.pgfullload.testing.TestingPostgreSQL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.postgresql.PGConnection;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** load.max-target-sessions: a cap on the partitions writing at once, kept by the target itself. */
class TargetSessionsIT {

    private final TestingPostgreSQL postgres = TestingPostgreSQL.shared();

    @TempDir
    Path directory;

    @Test
    void aPartitionWaitsForAFreeTurnAndGetsOneWhenAnotherGivesItsTurnBackOrItsSessionEnds() throws Exception {
        String target = postgres.createDatabase("turns");
        try (Connection first = postgres.connect(target); Connection second = postgres.connect(target);
             Connection third = postgres.connect(target)) {
            for (Connection connection : new Connection[] {first, second, third}) {
                connection.setAutoCommit(false);
            }
            TargetSessions.Turn firstTurn = TargetSessions.take(first, "run-a", 2, "first");
            TargetSessions.Turn secondTurn = TargetSessions.take(second, "run-a", 2, "second");
            // Another run's locks are its own.
            TargetSessions.take(third, "run-b", 1, "other run").close();

            CompletableFuture<TargetSessions.Turn> waiting = takeLater(third, "third");
            assertThrows(TimeoutException.class, () -> waiting.get(500, TimeUnit.MILLISECONDS));
            firstTurn.close();
            TargetSessions.Turn thirdTurn = waiting.get(5, TimeUnit.SECONDS);
            // Given back in a transaction of its own: the session is left with none open, and holds no lock of the run.
            int pid = first.unwrap(PGConnection.class).getBackendPID();
            assertEquals("idle", Sql.scalar(postgres, target, "SELECT state FROM pg_stat_activity WHERE pid = " + pid));
            assertEquals(0, Sql.count(postgres, target, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = " + pid));

            CompletableFuture<TargetSessions.Turn> again = takeLater(first, "first again");
            assertThrows(TimeoutException.class, () -> again.get(500, TimeUnit.MILLISECONDS));
            // A session that ends gives its lock back with it.
            second.close();
            again.get(5, TimeUnit.SECONDS).close();
            thirdTurn.close();
            secondTurn.close();
        }
    }

    @Test
    void partitionsOfOneExecutorWaitForATurnWithOneTargetSessionBetweenThem() throws Exception {
        String target = postgres.createDatabase("line");
        AtomicInteger opened = new AtomicInteger();
        AtomicInteger taken = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try (Connection holder = postgres.connect(target)) {
            holder.setAutoCommit(false);
            TargetSessions.Turn held = TargetSessions.take(holder, "run-l", 1, "holder");
            List<CompletableFuture<Void>> waiting = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String what = "partition " + i;
                waiting.add(CompletableFuture.runAsync(() -> {
                    try (TargetSessions.Place place = TargetSessions.line(1)) {
                        opened.incrementAndGet();
                        try (Connection connection = postgres.connect(target)) {
                            connection.setAutoCommit(false);
                            TargetSessions.take(connection, "run-l", 1, what, place).close();
                            taken.incrementAndGet();
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, threads));
            }
            // While the one turn is held, one partition waits on a session of its own and two wait without one.
            String sessions = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND backend_type = 'client backend' AND pid <> pg_backend_pid()";
            await().atMost(Duration.ofSeconds(10)).until(() -> opened.get() == 1 && Sql.count(postgres, target, sessions) == 2);
            assertThrows(TimeoutException.class, () -> CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new))
                    .get(500, TimeUnit.MILLISECONDS));
            assertEquals(List.of(1, 0), List.of(opened.get(), taken.get()));
            assertEquals(2, Sql.count(postgres, target, sessions), "the holder's session and the one waiting");
            held.close();
            CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            assertEquals(List.of(3, 3), List.of(opened.get(), taken.get()));
        } finally {
            threads.shutdownNow();
        }
    }

    /** A take of one of run-a's 2 turns, on a thread of its own. */
    private static CompletableFuture<TargetSessions.Turn> takeLater(Connection connection, String what) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return TargetSessions.take(connection, "run-a", 2, what);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void aLoadCappedAtOneTargetSessionWritesOnePartitionAtATime() throws Exception {
        String source = postgres.createDatabase("capped_src");
        String target = postgres.createDatabase("capped_dst");
        postgres.execute(source, "CREATE TABLE public.wide (id bigint PRIMARY KEY, pad text NOT NULL);"
                + " INSERT INTO public.wide SELECT g, repeat(md5(g::text), 8) FROM generate_series(1, 120000) g; ANALYZE public.wide");
        CompletableFuture<TestingJob.Outcome> load = CompletableFuture.supplyAsync(() -> TestingJob.run(
                TestingJob.settingsFile(directory, postgres, source, target, "fullload.tables { \"include\" = [\"public.wide\"] }"),
                "load.target-table-prep-mode=DROP_AND_CREATE", "load.rows-per-partition=10000", "load.max-target-sessions=1"));
        // Sampled while it runs: never two COPY statements into the target at once.
        AtomicLong most = new AtomicLong();
        AtomicLong samples = new AtomicLong();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(5)).until(() -> {
            long copying = Sql.count(postgres, target, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND state = 'active' AND query LIKE 'COPY %'");
            most.accumulateAndGet(copying, Math::max);
            samples.addAndGet(copying);
            return load.isDone();
        });
        TestingJob.Outcome outcome = load.get();
        assertEquals(0, outcome.status(), outcome.out() + outcome.err());
        assertEquals(Sql.checksum(postgres, source, "public.wide"), Sql.checksum(postgres, target, "public.wide"));
        assertTrue(ReportFile.read(outcome.report()).table("public.wide").get("partitions").asInt() >= 12);
        assertTrue(samples.get() > 0, "no COPY was seen running");
        assertEquals(1, most.get());
    }
}
