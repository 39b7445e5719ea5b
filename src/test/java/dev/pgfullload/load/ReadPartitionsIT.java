package dev.pgfullload.load;

import dev.pgfullload.testing.ReportFile;
import dev.pgfullload.testing.SampleDatabase;
import dev.pgfullload.testing.Sql;
import dev.pgfullload.testing.TestingJob;
import dev.pgfullload.testing.TestingPostgreSQL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How tables are split into read partitions: hand-given ranges checked before anything is written, and tables with children by inheritance. */
class ReadPartitionsIT {

    private final TestingPostgreSQL postgres = TestingPostgreSQL.shared();

    @TempDir
    Path directory;

    @Test
    void twoColumnRangesReadARowWithANullInTheSecondColumnOnce() {
        String source = postgres.createDatabase("src");
        String target = postgres.createDatabase("dst");
        SampleDatabase.create(postgres, source);
        // Every fifth purchase has no note; purchase 1000's (1000, NULL) compares above (500, 'note 5') and below
        // (1500, 'a') on its first column alone, and must still be read only with the first partition.
        assertEquals(400, Sql.count(postgres, source, "SELECT count(*) FROM shop.purchase WHERE note IS NULL"));
        TestingJob.Outcome outcome = TestingJob.run(TestingJob.settingsFile(directory, postgres, source, target, """
                fullload.tables { "include" = ["shop.purchase"] }
                fullload.load.parallel-load = [
                  { table = "shop.purchase", columns = ["purchase_id", "note"], boundaries = [[500, "note 5"], [1500, "a"]] }
                ]
                """), "load.target-table-prep-mode=DROP_AND_CREATE");
        assertEquals(0, outcome.status(), outcome.out() + outcome.err());
        assertEquals(2000, Sql.count(postgres, target, "SELECT count(*) FROM shop.purchase"));
        assertEquals(Sql.checksum(postgres, source, "shop.purchase"), Sql.checksum(postgres, target, "shop.purchase"));
        assertEquals(3, ReportFile.read(outcome.report()).table("shop.purchase").get("partitions").asInt());
    }

    @Test
    void rangesThatDoNotFitTheirTableAreRefusedBeforeAnythingIsWritten() {
        String source = postgres.createDatabase("src");
        String target = postgres.createDatabase("dst");
        SampleDatabase.create(postgres, source);
        Path settings = TestingJob.settingsFile(directory, postgres, source, target, "fullload.tables { \"include\" = [\"shop.%\"] }");
        assertEquals(0, TestingJob.run(settings, "load.target-table-prep-mode=DROP_AND_CREATE").status());
        String before = Sql.checksum(postgres, target, "shop.purchase");

        TestingJob.Outcome refused = TestingJob.run(TestingJob.settingsFile(directory, postgres, source, target, """
                fullload.tables { "include" = ["shop.%"] }
                fullload.load.parallel-load = [
                  { table = "shop.purchase", columns = ["purchase_id"], boundaries = [[1500], [500], [500]] }
                  { table = "shop.Purchase", columns = ["purchase_id"], boundaries = [[500]] }
                  { table = "shop.customer", columns = ["nope"], boundaries = [[5]] }
                  { table = "shop.product", columns = ["product_id"], boundaries = [["x"]] }
                ]
                """), "load.target-table-prep-mode=TRUNCATE_BEFORE_LOAD");

        assertEquals(3, refused.status(), refused.out() + refused.err());
        List<String> problems = new ArrayList<>();
        ReportFile.read(refused.report()).root().path("problems").forEach(problem -> problems.add(problem.asText()));
        assertEquals(5, problems.size(), problems.toString());
        assertEquals(List.of(
                "load.parallel-load for shop.purchase: boundary 2 [500] does not come after boundary 1 [1500]; list the"
                        + " boundaries in ascending order, each once, so that no rows are read twice",
                "load.parallel-load for shop.purchase: boundary 3 [500] does not come after boundary 2 [500]; list the"
                        + " boundaries in ascending order, each once, so that no rows are read twice",
                "load.parallel-load names table shop.Purchase, which is not among the selected tables (5 selected by"
                        + " tables.include and tables.exclude): spell it schema.table as the source does (case-sensitive),"
                        + " or select it",
                "load.parallel-load for shop.customer names column nope, which the table does not have (its columns:"
                        + " customer_id, name, email, tags, profile, created_at, last_update)"), problems.subList(0, 4));
        assertTrue(problems.get(4).startsWith("load.parallel-load for shop.product: its boundaries are no values of the"
                + " columns [product_id] (ERROR: invalid input syntax for type integer: \"x\""), problems.get(4));
        // TRUNCATE_BEFORE_LOAD would have emptied the tables first: they are as they were.
        assertEquals(before, Sql.checksum(postgres, target, "shop.purchase"));
        assertEquals(2000, Sql.count(postgres, target, "SELECT count(*) FROM shop.purchase"));
    }

    @Test
    void boundariesAreOrderedAsTheColumnsCollationOrdersThem() {
        String source = postgres.createDatabase("src");
        // An ICU collation puts "a" before "B"; the database's libc one may not. The ranges compare the column.
        postgres.execute(source, "CREATE SCHEMA coll;"
                + " CREATE TABLE coll.words (id integer PRIMARY KEY, word text COLLATE \"und-x-icu\" NOT NULL);"
                + " INSERT INTO coll.words SELECT g, chr(CASE WHEN g % 2 = 0 THEN 65 ELSE 97 END + g % 26) || g"
                + " FROM generate_series(1, 520) g");
        String refusedTarget = postgres.createDatabase("dst");
        TestingJob.Outcome refused = TestingJob.run(TestingJob.settingsFile(directory, postgres, source, refusedTarget, """
                fullload.tables { "include" = ["coll.words"] }
                fullload.load.parallel-load = [ { table = "coll.words", columns = ["word"], boundaries = [["B"], ["a"]] } ]
                """), "load.target-table-prep-mode=DROP_AND_CREATE");
        assertEquals(3, refused.status(), refused.out() + refused.err());
        List<String> problems = new ArrayList<>();
        ReportFile.read(refused.report()).root().path("problems").forEach(problem -> problems.add(problem.asText()));
        assertEquals(List.of("load.parallel-load for coll.words: boundary 2 [a] does not come after boundary 1 [B]; list the"
                + " boundaries in ascending order, each once, so that no rows are read twice"), problems);

        String target = postgres.createDatabase("dst");
        TestingJob.Outcome loaded = TestingJob.run(TestingJob.settingsFile(directory, postgres, source, target, """
                fullload.tables { "include" = ["coll.words"] }
                fullload.load.parallel-load = [ { table = "coll.words", columns = ["word"], boundaries = [["a"], ["M"]] } ]
                """), "load.target-table-prep-mode=DROP_AND_CREATE");
        assertEquals(0, loaded.status(), loaded.out() + loaded.err());
        assertEquals(Sql.checksum(postgres, source, "coll.words"), Sql.checksum(postgres, target, "coll.words"));
        assertEquals(3, ReportFile.read(loaded.report()).table("coll.words").get("partitions").asInt());
    }

    @Test
    void aTableWithChildrenByInheritanceLoadsWithAllOfThemSelectedOrNone() {
        String source = postgres.createDatabase("src");
        postgres.execute(source, "CREATE SCHEMA inh;"
                + " CREATE TABLE inh.measure (id bigint PRIMARY KEY, reading integer NOT NULL);"
                + " CREATE TABLE inh.measure_2024 () INHERITS (inh.measure);"
                + " ALTER TABLE inh.measure_2024 ADD PRIMARY KEY (id);"
                + " CREATE TABLE inh.measure_2025 () INHERITS (inh.measure);"
                + " INSERT INTO inh.measure SELECT g, g FROM generate_series(1, 30) g;"
                + " INSERT INTO inh.measure_2024 SELECT 1000 + g, g FROM generate_series(1, 50) g;"
                + " INSERT INTO inh.measure_2025 SELECT 2000 + g, g FROM generate_series(1, 20) g;"
                + " ANALYZE inh.measure; ANALYZE inh.measure_2024; ANALYZE inh.measure_2025");
        // Through the parent, PostgreSQL shows the children's rows too.
        assertEquals(100, Sql.count(postgres, source, "SELECT count(*) FROM inh.measure"));

        // All selected: each table with its own rows.
        String target = postgres.createDatabase("dst");
        TestingJob.Outcome outcome = TestingJob.run(TestingJob.settingsFile(directory, postgres, source, target,
                "fullload.tables { \"include\" = [\"inh.%\"] }"),
                "load.target-table-prep-mode=DROP_AND_CREATE", "load.rows-per-partition=10", "validation.mode=CHECKSUM");
        assertEquals(0, outcome.status(), outcome.out() + outcome.err());
        assertEquals(30, Sql.count(postgres, target, "SELECT count(*) FROM inh.measure"));
        assertEquals(50, Sql.count(postgres, target, "SELECT count(*) FROM inh.measure_2024"));
        assertEquals(20, Sql.count(postgres, target, "SELECT count(*) FROM inh.measure_2025"));
        assertEquals(Sql.checksum(postgres, source, "ONLY inh.measure"), Sql.checksum(postgres, target, "inh.measure"));
        assertEquals(Sql.checksum(postgres, source, "inh.measure_2024"), Sql.checksum(postgres, target, "inh.measure_2024"));
        assertTrue(ReportFile.read(outcome.report()).table("inh.measure").get("partitions").asInt() > 1);

        // The parent alone: it takes its children's rows, as a query of it sees them.
        String parentOnly = postgres.createDatabase("dst");
        TestingJob.Outcome alone = TestingJob.run(TestingJob.settingsFile(directory, postgres, source, parentOnly,
                "fullload.tables { \"include\" = [\"inh.measure\"] }"),
                "load.target-table-prep-mode=DROP_AND_CREATE", "validation.mode=CHECKSUM");
        assertEquals(0, alone.status(), alone.out() + alone.err());
        assertEquals(Sql.checksum(postgres, source, "inh.measure"), Sql.checksum(postgres, parentOnly, "inh.measure"));
        assertEquals(100, Sql.count(postgres, parentOnly, "SELECT count(*) FROM inh.measure"));

        // Some of each: refused before anything is written.
        String mixed = postgres.createDatabase("dst");
        TestingJob.Outcome refused = TestingJob.run(TestingJob.settingsFile(directory, postgres, source, mixed,
                "fullload.tables { \"include\" = [\"inh.measure\", \"inh.measure_2024\"] }"),
                "load.target-table-prep-mode=DROP_AND_CREATE");
        assertEquals(3, refused.status(), refused.out() + refused.err());
        List<String> problems = new ArrayList<>();
        ReportFile.read(refused.report()).root().path("problems").forEach(problem -> problems.add(problem.asText()));
        assertEquals(List.of("table inh.measure has children by inheritance (INHERITS), of which [inh.measure_2024] are"
                + " selected and [inh.measure_2025] are not: select all of them (each then loads on its own and inh.measure"
                + " with its own rows) or none (inh.measure then takes their rows), with tables.include and tables.exclude"),
                problems);
        assertEquals(0, Sql.count(postgres, mixed, "SELECT count(*) FROM pg_class WHERE relname LIKE 'measure%'"));
    }
}
