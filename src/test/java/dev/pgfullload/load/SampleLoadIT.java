package dev.pgfullload.load;

import dev.pgfullload.testing.SampleDatabase;
import dev.pgfullload.testing.ReportFile;
import dev.pgfullload.testing.Sql;
import dev.pgfullload.testing.TestingJob;
import dev.pgfullload.testing.TestingPostgreSQL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SampleLoadIT {

    private final TestingPostgreSQL postgres = TestingPostgreSQL.shared();

    @TempDir
    Path directory;

    @Test
    void dropAndCreateLoadsEveryTableExactly() {
        String source = postgres.createDatabase("src");
        String target = postgres.createDatabase("dst");
        SampleDatabase.create(postgres, source);
        TestingJob.Outcome outcome = TestingJob.run(TestingJob.settingsFile(directory, postgres, source, target,
                "fullload.tables.include = [\"shop.%\"]"), "load.target-table-prep-mode=DROP_AND_CREATE");
        assertEquals(0, outcome.status(), outcome.out() + outcome.err());
        for (String table : new String[] {"shop.customer", "shop.product", "shop.purchase", "shop.purchase_line"}) {
            assertEquals(Sql.checksum(postgres, source, table), Sql.checksum(postgres, target, table), table);
        }
    }

    @Test
    void dmsStyleParallelLoadRangesAreHonouredAndLoseNoRow() {
        String source = postgres.createDatabase("src");
        String target = postgres.createDatabase("dst");
        SampleDatabase.create(postgres, source);
        // A NULL in a range column: DMS would drop this row; pg-fullload reads it with the first partition.
        postgres.execute(source, "UPDATE shop.purchase SET note = NULL WHERE purchase_id = 1");
        TestingJob.Outcome outcome = TestingJob.run(TestingJob.settingsFile(directory, postgres, source, target, """
                fullload.tables { "include" = ["shop.purchase"] }
                fullload.load.parallel-load = [
                  { table = "shop.purchase", columns = ["note"], boundaries = [["note 1000"], ["note 5"]] }
                ]
                """), "load.target-table-prep-mode=DROP_AND_CREATE");
        assertEquals(0, outcome.status(), outcome.out() + outcome.err());
        assertEquals(Sql.checksum(postgres, source, "shop.purchase"), Sql.checksum(postgres, target, "shop.purchase"));
        assertEquals(3, ReportFile.read(outcome.report()).table("shop.purchase").get("partitions").asInt());
    }
}
