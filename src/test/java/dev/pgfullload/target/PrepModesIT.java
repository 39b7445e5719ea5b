package dev.pgfullload.target;

import dev.pgfullload.testing.ReportFile;
import dev.pgfullload.testing.Sql;
import dev.pgfullload.testing.TestingJob;
import dev.pgfullload.testing.TestingPostgreSQL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * load.target-table-prep-mode against a real PostgreSQL: what each mode keeps, replaces and refuses.
 * One source database for the class (read only); every test makes its own target.
 */
class PrepModesIT {

    private static final TestingPostgreSQL postgres = TestingPostgreSQL.shared();

    /** The source tables; book and review reference their parents, tag stands alone. */
    private static final String SOURCE_SCHEMA = """
            CREATE SCHEMA app;
            CREATE TABLE app.author (author_id integer PRIMARY KEY, name text NOT NULL);
            CREATE TABLE app.book (
                book_id integer PRIMARY KEY,
                author_id integer NOT NULL REFERENCES app.author,
                title text NOT NULL,
                price numeric(8,2)
            );
            CREATE TABLE app.review (
                review_id bigint PRIMARY KEY,
                book_id integer NOT NULL REFERENCES app.book,
                stars smallint NOT NULL,
                body text
            );
            CREATE TABLE app.tag (tag text PRIMARY KEY, note text);
            """;

    private static final String SOURCE_DATA = """
            INSERT INTO app.author SELECT a, 'Author ' || a FROM generate_series(1, 20) a;
            INSERT INTO app.book SELECT b, 1 + b % 20, 'Book ' || b, CASE WHEN b % 7 = 0 THEN NULL ELSE b * 1.5 END
            FROM generate_series(1, 100) b;
            INSERT INTO app.review SELECT r, 1 + r % 100, 1 + r % 5, CASE WHEN r % 3 = 0 THEN NULL ELSE E'review\\t' || r END
            FROM generate_series(1, 300) r;
            INSERT INTO app.tag VALUES ('fiction', 'made up'), ('science', NULL), ('history', 'old');
            """;

    private static final List<String> TABLES = List.of("app.author", "app.book", "app.review", "app.tag");

    /** The target's copy of the application schema, foreign keys included, with rows the load must replace. */
    private static final String TARGET_WITH_STALE_ROWS = SOURCE_SCHEMA + """
            CREATE INDEX review_book_idx ON app.review (book_id);
            INSERT INTO app.author VALUES (1, 'stale author'), (9999, 'stale author 9999');
            INSERT INTO app.book VALUES (1, 1, 'stale book', 1), (9999, 9999, 'stale book 9999', 2);
            INSERT INTO app.review VALUES (1, 1, 1, 'stale'), (9999, 9999, 5, 'stale 9999');
            INSERT INTO app.tag VALUES ('fiction', 'stale');
            """;

    private static String source;

    @TempDir
    Path directory;

    @BeforeAll
    static void createSource() {
        source = postgres.createDatabase("prep_src");
        postgres.execute(source, SOURCE_SCHEMA);
        postgres.execute(source, SOURCE_DATA);
    }

    @Test
    void doNothingKeepsExistingRowsAndDefinitionsAndCreatesMissingTables() {
        String target = postgres.createDatabase("prep_nothing");
        postgres.execute(target, """
                CREATE SCHEMA app;
                CREATE TABLE app.book (
                    book_id integer PRIMARY KEY,
                    author_id integer NOT NULL,
                    title text NOT NULL,
                    price numeric(8,2),
                    shelf text
                );
                CREATE INDEX book_shelf_idx ON app.book (shelf);
                INSERT INTO app.book VALUES (1001, 1, 'kept one', 9.99, 'A1'), (1002, 2, 'kept two', NULL, 'B2');
                """);

        TestingJob.Outcome outcome = run(target, "DO_NOTHING");

        assertEquals(0, outcome.status(), outcome.out() + outcome.err());
        // The extra column and index are still there.
        assertEquals("shelf", Sql.scalar(postgres, target, """
                SELECT column_name FROM information_schema.columns
                WHERE table_schema = 'app' AND table_name = 'book' AND column_name = 'shelf'"""));
        assertEquals("CREATE INDEX book_shelf_idx ON app.book USING btree (shelf)",
                Sql.scalar(postgres, target, "SELECT indexdef FROM pg_indexes WHERE schemaname = 'app' AND indexname = 'book_shelf_idx'"));
        // The old rows are untouched, the loaded rows are exactly the source's, and nothing else is there.
        assertEquals(List.of("1001|1|kept one|9.99|A1", "1002|2|kept two||B2"), Sql.column(postgres, target,
                "SELECT concat_ws('|', book_id, author_id, title, coalesce(price::text, ''), shelf) FROM app.book"
                        + " WHERE book_id > 1000 ORDER BY book_id"));
        assertEquals(102, Sql.count(postgres, target, "SELECT count(*) FROM app.book"));
        assertEquals(0, Sql.count(postgres, target, "SELECT count(*) FROM app.book WHERE book_id <= 100 AND shelf IS NOT NULL"));
        String loadedBooks = "(SELECT book_id, author_id, title, price FROM app.book WHERE book_id <= 100)";
        assertEquals(Sql.checksum(postgres, source, "app.book"), Sql.checksum(postgres, target, loadedBooks));
        // The tables the target did not have were created and loaded.
        for (String table : List.of("app.author", "app.review", "app.tag")) {
            assertEquals(Sql.checksum(postgres, source, table), Sql.checksum(postgres, target, table), table);
        }
    }

    @Test
    void truncateBeforeLoadEmptiesTablesLinkedByForeignKeysInOneStatementAndKeepsDefinitions() {
        String target = postgres.createDatabase("prep_truncate");
        postgres.execute(target, TARGET_WITH_STALE_ROWS);
        // Every TRUNCATE of a selected table leaves the statement that did it in a table outside the selection.
        postgres.execute(target, """
                CREATE SCHEMA audit;
                CREATE TABLE audit.truncation (table_name text NOT NULL, statement text NOT NULL, xid bigint NOT NULL);
                CREATE FUNCTION audit.note_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO audit.truncation VALUES (TG_TABLE_NAME, current_query(), txid_current());
                    RETURN NULL;
                END $$;
                CREATE TRIGGER author_truncated AFTER TRUNCATE ON app.author FOR EACH STATEMENT EXECUTE FUNCTION audit.note_truncate();
                CREATE TRIGGER book_truncated AFTER TRUNCATE ON app.book FOR EACH STATEMENT EXECUTE FUNCTION audit.note_truncate();
                CREATE TRIGGER review_truncated AFTER TRUNCATE ON app.review FOR EACH STATEMENT EXECUTE FUNCTION audit.note_truncate();
                CREATE TRIGGER tag_truncated AFTER TRUNCATE ON app.tag FOR EACH STATEMENT EXECUTE FUNCTION audit.note_truncate();
                """);
        String constraintsBefore = foreignKeys(target);

        TestingJob.Outcome outcome = run(target, "TRUNCATE_BEFORE_LOAD");

        assertEquals(0, outcome.status(), outcome.out() + outcome.err());
        for (String table : TABLES) {
            assertEquals(Sql.checksum(postgres, source, table), Sql.checksum(postgres, target, table), table);
        }
        // One TRUNCATE statement, in one transaction, emptied all four tables.
        assertEquals(List.of("author", "book", "review", "tag"),
                Sql.column(postgres, target, "SELECT table_name FROM audit.truncation ORDER BY table_name"));
        assertEquals(1, Sql.count(postgres, target, "SELECT count(DISTINCT (statement, xid)) FROM audit.truncation"));
        String statement = Sql.scalar(postgres, target, "SELECT DISTINCT statement FROM audit.truncation");
        for (String table : List.of("\"app\".\"author\"", "\"app\".\"book\"", "\"app\".\"review\"", "\"app\".\"tag\"")) {
            assertTrue(statement.startsWith("TRUNCATE") && statement.contains(table), statement);
        }
        // Definitions kept: the same foreign keys, the extra index, the truncate triggers.
        assertEquals("book_author_id_fkey:app.book->app.author,review_book_id_fkey:app.review->app.book", constraintsBefore);
        assertEquals(constraintsBefore, foreignKeys(target));
        assertEquals(1, Sql.count(postgres, target, "SELECT count(*) FROM pg_indexes WHERE schemaname = 'app' AND indexname = 'review_book_idx'"));
        assertEquals(4, Sql.count(postgres, target, "SELECT count(*) FROM pg_trigger WHERE tgname LIKE '%\\_truncated'"));
    }

    @Test
    void dropAndCreateReplacesTheTargetDefinitionWithTheSourceOne() {
        String target = postgres.createDatabase("prep_drop");
        postgres.execute(target, """
                CREATE SCHEMA app;
                CREATE TABLE app.book (book_id text, legacy integer NOT NULL DEFAULT 0, title varchar(10));
                INSERT INTO app.book VALUES ('x1', 1, 'old'), ('x2', 2, 'older');
                CREATE TABLE app.tag (tag integer, obsolete boolean);
                INSERT INTO app.tag VALUES (1, true);
                """);

        TestingJob.Outcome outcome = run(target, "DROP_AND_CREATE");

        assertEquals(0, outcome.status(), outcome.out() + outcome.err());
        String columns = """
                SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END,
                                  ', ' ORDER BY a.attnum)
                FROM pg_attribute a WHERE a.attrelid = '%s'::regclass AND a.attnum > 0 AND NOT a.attisdropped""";
        String primaryKey = """
                SELECT string_agg(a.attname, ', ' ORDER BY k.position)
                FROM pg_constraint c CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY k(attnum, position)
                JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
                WHERE c.contype = 'p' AND c.conrelid = '%s'::regclass""";
        assertEquals("book_id integer NOT NULL, author_id integer NOT NULL, title text NOT NULL, price numeric(8,2)",
                Sql.scalar(postgres, target, columns.formatted("app.book")));
        assertEquals("tag text NOT NULL, note text", Sql.scalar(postgres, target, columns.formatted("app.tag")));
        for (String table : TABLES) {
            assertEquals(Sql.scalar(postgres, source, columns.formatted(table)), Sql.scalar(postgres, target, columns.formatted(table)), table);
            assertEquals(Sql.scalar(postgres, source, primaryKey.formatted(table)), Sql.scalar(postgres, target, primaryKey.formatted(table)), table);
            assertEquals(Sql.checksum(postgres, source, table), Sql.checksum(postgres, target, table), table);
        }
        assertEquals("book_id", Sql.scalar(postgres, target, primaryKey.formatted("app.book")));
    }

    @Test
    void truncateBeforeLoadRefusesAForeignKeyFromAnUnselectedTableAndTruncatesNothing() {
        String target = postgres.createDatabase("prep_truncate_refused");
        postgres.execute(target, TARGET_WITH_STALE_ROWS + """
                DROP TABLE app.tag;
                CREATE TABLE app.wishlist (wish_id integer PRIMARY KEY, book_id integer CONSTRAINT wishlist_book_fk REFERENCES app.book);
                INSERT INTO app.wishlist VALUES (1, 9999);
                """);
        String before = contents(target);

        TestingJob.Outcome outcome = run(target, "TRUNCATE_BEFORE_LOAD");

        assertEquals(3, outcome.status(), outcome.out() + outcome.err());
        String error = ReportFile.read(outcome.report()).error();
        assertEquals("nothing was truncated: foreign key wishlist_book_fk of table app.wishlist, which is not selected,"
                + " references app.book. Select the dependent objects too, drop them first, or use"
                + " load.target-table-prep-mode = DO_NOTHING", error);
        assertEquals(before, contents(target));
        assertEquals("t", Sql.scalar(postgres, target, "SELECT to_regclass('app.tag') IS NULL"), "app.tag was created");
    }

    @Test
    void dropAndCreateRefusesAForeignKeyFromAnUnselectedTableAndDropsNothing() {
        String target = postgres.createDatabase("prep_drop_fk_refused");
        postgres.execute(target, TARGET_WITH_STALE_ROWS + """
                DROP TABLE app.tag;
                CREATE TABLE app.wishlist (wish_id integer PRIMARY KEY, book_id integer CONSTRAINT wishlist_book_fk REFERENCES app.book);
                INSERT INTO app.wishlist VALUES (1, 9999);
                """);
        String before = contents(target);
        String oids = relationOids(target);

        TestingJob.Outcome outcome = run(target, "DROP_AND_CREATE");

        assertEquals(3, outcome.status(), outcome.out() + outcome.err());
        String error = ReportFile.read(outcome.report()).error();
        assertTrue(error.startsWith("nothing was dropped: foreign key wishlist_book_fk of table app.wishlist, which is not selected,"
                + " references app.book"), error);
        assertEquals(before, contents(target));
        assertEquals(oids, relationOids(target), "the tables were dropped and created again");
        assertEquals("t", Sql.scalar(postgres, target, "SELECT to_regclass('app.tag') IS NULL"), "app.tag was created");
    }

    @Test
    void dropAndCreateRefusesAViewOnASelectedTableAndDropsNothing() {
        String target = postgres.createDatabase("prep_drop_view_refused");
        postgres.execute(target, TARGET_WITH_STALE_ROWS + """
                DROP TABLE app.tag;
                CREATE VIEW app.cheap_books AS SELECT book_id, title FROM app.book WHERE price < 10;
                """);
        String before = contents(target);
        String oids = relationOids(target);

        TestingJob.Outcome outcome = run(target, "DROP_AND_CREATE");

        assertEquals(3, outcome.status(), outcome.out() + outcome.err());
        String error = ReportFile.read(outcome.report()).error();
        assertTrue(error.startsWith("nothing was dropped: view app.cheap_books depends on table app.book."), error);
        assertEquals(before, contents(target));
        assertEquals(oids, relationOids(target), "the tables were dropped and created again");
        assertEquals(2, Sql.count(postgres, target, "SELECT count(*) FROM app.cheap_books"));
        assertEquals("t", Sql.scalar(postgres, target, "SELECT to_regclass('app.tag') IS NULL"), "app.tag was created");
    }

    private TestingJob.Outcome run(String target, String prepMode) {
        return TestingJob.run(TestingJob.settingsFile(directory, postgres, source, target, "fullload.tables.include = [\"app.%\"]"),
                "load.target-table-prep-mode=" + prepMode);
    }

    /** Every foreign key of schema app: name, referencing and referenced table. */
    private static String foreignKeys(String database) {
        return Sql.scalar(postgres, database, """
                SELECT string_agg(conname || ':' || conrelid::regclass || '->' || confrelid::regclass, ',' ORDER BY conname)
                FROM pg_constraint WHERE contype = 'f' AND connamespace = 'app'::regnamespace""");
    }

    /** A digest of every row of every table in schema app. */
    private static String contents(String database) {
        StringBuilder digest = new StringBuilder();
        for (String table : Sql.column(postgres, database,
                "SELECT format('%I.%I', schemaname, tablename) FROM pg_tables WHERE schemaname = 'app' ORDER BY 1")) {
            digest.append(table).append('=').append(Sql.checksum(postgres, database, table)).append('\n');
        }
        return digest.toString();
    }

    private static String relationOids(String database) {
        return Sql.scalar(postgres, database,
                "SELECT string_agg(relname || '=' || oid, ',' ORDER BY relname) FROM pg_class WHERE relnamespace = 'app'::regnamespace");
    }
}
