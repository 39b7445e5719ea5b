package dev.pgfullload.load;

import dev.pgfullload.source.TableReader;
import dev.pgfullload.testing.ReportFile;
import dev.pgfullload.testing.Sql;
import dev.pgfullload.testing.TestingJob;
import dev.pgfullload.testing.TestingPostgreSQL;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A source that changes during the load: every table is read, and counted, as it stood when the load began. */
class SourceSnapshotIT {

    private final TestingPostgreSQL postgres = TestingPostgreSQL.shared();

    @TempDir
    Path directory;

    @ParameterizedTest
    @EnumSource(TableReader.Method.class)
    void writesCommittedOnTheSourceDuringTheLoadAreNotRead(TableReader.Method method) throws Exception {
        String source = postgres.createDatabase("src");
        String target = postgres.createDatabase("dst");
        // One table at a time, largest first: the small table is read after the big one, in several partitions.
        LoadInFlight.createBigAndSmall(postgres, source, "snap", 100);
        String before = Sql.checksum(postgres, source, "snap.small");
        Path settings = TestingJob.settingsFile(directory, postgres, source, target, "fullload.tables { \"include\" = [\"snap.%\"] }");

        CompletableFuture<TestingJob.Outcome> load = LoadInFlight.startAndAwaitSnapshot(postgres, source, settings,
                "load.target-table-prep-mode=DROP_AND_CREATE", "load.max-full-load-subtasks=1", "load.rows-per-partition=25",
                "source.read-method=" + method, "validation.mode=CHECKSUM");
        // Once the load holds its snapshot, the small table changes and commits: rows deleted, updated and inserted.
        postgres.execute(source, "BEGIN; DELETE FROM snap.small WHERE id <= 10; UPDATE snap.small SET v = -v WHERE id > 90;"
                + " INSERT INTO snap.small VALUES (1000, 1000); COMMIT");
        // A statement that would empty the table, which no snapshot would see, waits for the load instead.
        IllegalStateException truncate = assertThrows(IllegalStateException.class, () -> postgres.execute(source,
                "SET lock_timeout = '1s'; TRUNCATE snap.small"));
        assertTrue(truncate.getMessage().contains("canceling statement due to lock timeout"), truncate.getMessage());
        // The change committed while the load was still on the big table (it reads one table at a time).
        assertEquals(0, Sql.count(postgres, target, "SELECT count(*) FROM snap.small"));

        TestingJob.Outcome outcome = load.get(120, TimeUnit.SECONDS);
        assertEquals(0, outcome.status(), outcome.out() + outcome.err());
        assertNotEquals(before, Sql.checksum(postgres, source, "snap.small"));
        // The target holds the small table as it was, and validation counted and summed it in the same snapshot.
        assertEquals(before, Sql.checksum(postgres, target, "snap.small"));
        assertEquals(Sql.checksum(postgres, source, "snap.big"), Sql.checksum(postgres, target, "snap.big"));
        assertTrue(ReportFile.read(outcome.report()).table("snap.small").get("partitions").asInt() > 1);
        // The snapshot's session ended with the load.
        assertEquals(0, Sql.count(postgres, source, "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE"
                + " 'pg-fullload % snapshot'"));
    }
}
