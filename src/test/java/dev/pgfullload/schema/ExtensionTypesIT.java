package dev.pgfullload.schema;

import dev.pgfullload.testing.Sql;
import dev.pgfullload.testing.TestingJob;
import dev.pgfullload.testing.TestingPostgreSQL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Types from extensions: kept where the target has the extension, refused or loaded as text where it does not. */
class ExtensionTypesIT {

    private static final TestingPostgreSQL POSTGRES = TestingPostgreSQL.shared();
    private static String source;

    @TempDir
    Path directory;

    @BeforeAll
    static void createSource() {
        source = POSTGRES.createDatabase("ext_src");
        POSTGRES.execute(source, """
                CREATE EXTENSION citext;
                CREATE EXTENSION hstore;
                CREATE TABLE public.account (
                    id integer PRIMARY KEY,
                    email citext NOT NULL,
                    aliases citext[],
                    settings hstore
                );
                INSERT INTO public.account VALUES
                    (1, 'Mixed@Example.COM', '{One,TWO}', 'a=>1, "b c"=>"x y"'),
                    (2, 'second@example.com', NULL, NULL);
                """);
    }

    @Test
    void aMissingExtensionStopsTheRunBeforeAnythingIsWritten() {
        String target = POSTGRES.createDatabase("ext_missing");
        TestingJob.Outcome outcome = run(target);
        assertEquals(3, outcome.status(), outcome.out() + outcome.err());
        assertThat(outcome.out()).contains("from the extension citext, which the target database does not have")
                .contains("CREATE EXTENSION citext").contains("transform.extension-types-as-text = true");
        assertEquals(0, Sql.count(POSTGRES, target, "SELECT count(*) FROM pg_class WHERE relname = 'account'"));
    }

    @Test
    void theSettingLoadsThemAsText() {
        String target = POSTGRES.createDatabase("ext_text");
        TestingJob.Outcome outcome = run(target, "transform.extension-types-as-text=true");
        assertEquals(0, outcome.status(), outcome.out() + outcome.err());
        assertEquals(List.of("id integer", "email text", "aliases text[]", "settings text"), columns(target));
        assertEquals(Sql.column(POSTGRES, source, "SELECT t::text FROM public.account t ORDER BY id"),
                Sql.column(POSTGRES, target, "SELECT t::text FROM public.account t ORDER BY id"));
    }

    @Test
    void anInstalledExtensionKeepsItsTypes() {
        String target = POSTGRES.createDatabase("ext_kept");
        POSTGRES.execute(target, "CREATE EXTENSION citext; CREATE EXTENSION hstore");
        TestingJob.Outcome outcome = run(target);
        assertEquals(0, outcome.status(), outcome.out() + outcome.err());
        assertEquals(List.of("id integer", "email citext", "aliases citext[]", "settings hstore"), columns(target));
        assertEquals(Sql.checksum(POSTGRES, source, "public.account"), Sql.checksum(POSTGRES, target, "public.account"));
        // citext still compares without regard to case: the type is real, not text.
        assertEquals(1, Sql.count(POSTGRES, target, "SELECT count(*) FROM public.account WHERE email = 'mixed@example.com'"));
    }

    private TestingJob.Outcome run(String target, String... overrides) {
        String[] all = new String[overrides.length + 1];
        all[0] = "load.target-table-prep-mode=DROP_AND_CREATE";
        System.arraycopy(overrides, 0, all, 1, overrides.length);
        return TestingJob.run(TestingJob.settingsFile(directory, POSTGRES, source, target, ""), all);
    }

    private static List<String> columns(String database) {
        return Sql.column(POSTGRES, database, """
                SELECT a.attname || ' ' || format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
                WHERE a.attrelid = 'public.account'::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum""");
    }
}
