package dev.pgfullload.load;

import dev.pgfullload.testing.ReportFile;
import dev.pgfullload.testing.Sql;
import dev.pgfullload.testing.TestingJob;
import dev.pgfullload.testing.TestingPostgreSQL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A source URL that names two servers, as a cluster's URL does ({@code loadBalanceHosts}): the
 * snapshot is known to the server that exported it only, so every session that joins it goes there.
 */
class SnapshotServerIT {

    private static TestingPostgreSQL second;

    private final TestingPostgreSQL postgres = TestingPostgreSQL.shared();

    @TempDir
    Path directory;

    @BeforeAll
    static void startSecondServer() {
        second = TestingPostgreSQL.startEmbedded();
    }

    @AfterAll
    static void stopSecondServer() throws Exception {
        second.close();
    }

    @Test
    void everyReadOfAListedSourceGoesToTheServerThatHoldsTheSnapshot() throws Exception {
        String source = postgres.createDatabase("src");
        String target = postgres.createDatabase("dst");
        second.execute("postgres", "CREATE DATABASE " + source);
        // The same table on both servers, with different rows: the target shows which server each row came from.
        for (TestingPostgreSQL server : new TestingPostgreSQL[] {postgres, second}) {
            int offset = server == postgres ? 0 : 1_000_000;
            server.execute(source, "CREATE TABLE public.item (id bigint PRIMARY KEY, v text NOT NULL);"
                    + " INSERT INTO public.item SELECT g + " + offset + ", md5(g::text) FROM generate_series(1, 20000) g;"
                    + " ANALYZE public.item");
        }
        String listed = "jdbc:postgresql://" + postgres.host() + ":" + postgres.port() + "," + second.host() + ":"
                + second.port() + "/" + source + "?loadBalanceHosts=true";
        Path settings = TestingJob.settingsFile(directory, postgres, source, target, "fullload.tables { \"include\" = [\"public.item\"] }");
        Files.writeString(settings, Files.readString(settings).replace(postgres.jdbcUrl(source), listed));

        // Each session picks either server at random: eight read partitions and the count would meet the other
        // server's "invalid snapshot identifier" many times over in a few runs.
        for (int run = 0; run < 3; run++) {
            TestingJob.Outcome outcome = TestingJob.run(settings, "load.target-table-prep-mode=DROP_AND_CREATE",
                    "load.rows-per-partition=2500");
            assertEquals(0, outcome.status(), outcome.out() + outcome.err());
            assertEquals(8, ReportFile.read(outcome.report()).table("public.item").get("partitions").asInt());
            assertEquals(20000, Sql.count(postgres, target, "SELECT count(*) FROM public.item"));
            // All of one server's rows, none of the other's.
            long fromFirst = Sql.count(postgres, target, "SELECT count(*) FROM public.item WHERE id <= 1000000");
            assertTrue(Set.of(0L, 20000L).contains(fromFirst), "rows from both servers: " + fromFirst + " from the first");
        }
    }
}
