package dev.pgfullload.load;

import dev.pgfullload.testing.SampleDatabase;
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
}
