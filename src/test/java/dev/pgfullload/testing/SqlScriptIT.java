package dev.pgfullload.testing;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The script runner splits statements as psql does and streams COPY data. */
class SqlScriptIT {

    private final TestingPostgreSQL postgres = TestingPostgreSQL.shared();

    @Test
    void splitsOnlyOnStatementEndsAndStreamsCopyData() throws SQLException {
        String database = postgres.createDatabase("script");
        String script = """
                \\restrict abc123
                -- a comment; with a semicolon
                SELECT pg_catalog.set_config('search_path', '', false);
                /* a block comment; /* nested; */ still a comment; */
                CREATE TABLE public."semi;colon" (id integer, "it's; here" text DEFAULT 'a;b''c', note text DEFAULT E'x\\';y');
                CREATE FUNCTION public.f() RETURNS text LANGUAGE sql AS $$ SELECT 'x;y'::text; $$;
                CREATE FUNCTION public.g(integer) RETURNS integer LANGUAGE sql AS $_$ SELECT $1 + 1; -- inside; $_$;
                CREATE RULE r AS ON UPDATE TO public."semi;colon" DO ALSO (NOTIFY a; NOTIFY b);
                COPY public."semi;colon" (id, "it's; here", note) FROM stdin;
                1\tone; -- not a comment\t\\N
                2\t$$ 'two' \\\\ ;\tx
                \\.
                INSERT INTO public."semi;colon" (id) VALUES (public.g(2))
                ;
                \\unrestrict abc123
                """;
        try (Connection connection = postgres.connect(database)) {
            SqlScript.runText(connection, "script", script);
        }
        assertEquals("3", Sql.scalar(postgres, database, "SELECT count(*) FROM public.\"semi;colon\""));
        assertEquals("one; -- not a comment|$$ 'two' \\ ;|a;b'c", Sql.scalar(postgres, database,
                "SELECT string_agg(\"it's; here\", '|' ORDER BY id) FROM public.\"semi;colon\""));
        assertEquals("x';y", Sql.scalar(postgres, database, "SELECT note FROM public.\"semi;colon\" WHERE id = 3"));
        assertEquals("x;y", Sql.scalar(postgres, database, "SELECT public.f()"));
        assertEquals("1", Sql.scalar(postgres, database, "SELECT count(*) FROM pg_rewrite WHERE rulename = 'r'"));
    }

    @Test
    void reportsTheFailingStatementAndAMissingDataset() throws SQLException {
        String database = postgres.createDatabase("script");
        try (Connection connection = postgres.connect(database)) {
            assertThatThrownBy(() -> SqlScript.runText(connection, "broken.sql", "SELECT 1;\n\nSELEC 2;\n"))
                    .hasMessageContaining("broken.sql, statement on line 3 failed").hasMessageContaining("SELEC 2");
            assertThatThrownBy(() -> SqlScript.runText(connection, "open.sql", "SELECT 'never closed;\n"))
                    .hasMessageContaining("open.sql").hasMessageContaining("unfinished");
        }
        assertThatThrownBy(() -> SqlScript.pagila("no-such-file.sql"))
                .hasMessageContaining("no-such-file.sql").hasMessageContaining("shared/datasets/pagila");
    }
}
