package dev.pgfullload.jdbc;

import dev.pgfullload.testing.ReportFile;
import dev.pgfullload.testing.Sql;
import dev.pgfullload.testing.TestingJob;
import dev.pgfullload.testing.TestingPostgreSQL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The {@code ssl} settings reach the driver: the test server has no TLS, so a mode that requires it is
 * refused before anything is written, with a message that says so; a mode that only prefers it loads.
 */
class TlsIT {

    private static final TestingPostgreSQL postgres = TestingPostgreSQL.shared();

    private static String source;

    @TempDir
    Path directory;

    @BeforeAll
    static void createSource() {
        source = postgres.createDatabase("tls_src");
        postgres.execute(source, "CREATE SCHEMA tls; CREATE TABLE tls.item (item_id integer PRIMARY KEY, label text);"
                + " INSERT INTO tls.item SELECT i, 'item ' || i FROM generate_series(1, 100) i");
    }

    @Test
    void aModeThatRequiresTlsIsRefusedByAServerWithoutIt() {
        String target = postgres.createDatabase("tls_require");

        TestingJob.Outcome outcome = run(target, "source.ssl.mode=verify-full", "source.ssl.root-cert=/nonexistent/root.crt",
                "target.ssl.mode=REQUIRE");

        assertEquals(3, outcome.status(), outcome.out() + outcome.err());
        String endpoint = postgres.host() + ":" + postgres.port();
        List<String> problems = new ArrayList<>();
        ReportFile.read(outcome.report()).root().path("problems").forEach(problem -> problems.add(problem.asText()));
        assertEquals(List.of("the source server at " + endpoint + " does not support SSL, and source.ssl.mode = verify-full"
                        + " requires it (The server does not support SSL.): turn ssl on in the server's postgresql.conf, or set"
                        + " source.ssl.mode = prefer or disable if the network is trusted",
                "the target server at " + endpoint + " does not support SSL, and target.ssl.mode = require"
                        + " requires it (The server does not support SSL.): turn ssl on in the server's postgresql.conf, or set"
                        + " target.ssl.mode = prefer or disable if the network is trusted"), problems);
        assertEquals("SOURCE_CONNECT", ReportFile.read(outcome.report()).failureCategory());
        assertEquals(0, Sql.count(postgres, target, "SELECT count(*) FROM pg_namespace WHERE nspname IN ('tls', 'fullload_control')"));
    }

    @Test
    void aModeThatOnlyPrefersTlsLoadsWithoutIt() {
        String target = postgres.createDatabase("tls_prefer");

        TestingJob.Outcome outcome = run(target, "source.ssl.mode=prefer", "target.ssl.mode=disable");

        assertEquals(0, outcome.status(), outcome.out() + outcome.err());
        assertEquals(Sql.checksum(postgres, source, "tls.item"), Sql.checksum(postgres, target, "tls.item"));
    }

    private TestingJob.Outcome run(String target, String... overrides) {
        return TestingJob.run(TestingJob.settingsFile(directory, postgres, source, target, "fullload.tables.include = [\"tls.%\"]"),
                overrides);
    }
}
