package dev.pgfullload.jdbc;

import dev.pgfullload.config.ConnectionSettings;
import dev.pgfullload.testing.Sql;
import dev.pgfullload.testing.TestingPostgreSQL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Sessions kept between steps: reused only when handed back clean, replaced when the server dropped them. */
class SessionPoolIT {

    private final TestingPostgreSQL postgres = TestingPostgreSQL.shared();

    @AfterEach
    void closeIdle() {
        SessionPool.closeIdle();
    }

    @Test
    void aSessionHandedBackCleanServesTheNextStepOfTheSameKindOnly() throws Exception {
        ConnectionSettings settings = settings(postgres.createDatabase("pool_reuse"));
        int first;
        try (SessionPool.Session session = SessionPool.borrow(settings, "target", "pool test", "write", this::setUp)) {
            first = backend(session.connection());
            session.connection().rollback();
            session.keep();
        }
        try (SessionPool.Session session = SessionPool.borrow(settings, "target", "pool test", "write", this::setUp)) {
            assertEquals(first, backend(session.connection()), "the same server process");
            assertEquals("set up", marker(session.connection()), "set up once, still in force");
            session.connection().rollback();
            session.keep();
        }
        try (SessionPool.Session session = SessionPool.borrow(settings, "target", "pool test", "read", null)) {
            assertNotEquals(first, backend(session.connection()), "another purpose gets its own session");
            assertEquals("", marker(session.connection()), "not set up as a write session");
        }
    }

    @Test
    void aSessionNotKeptOrLeftInATransactionIsClosed() throws Exception {
        String database = postgres.createDatabase("pool_close");
        ConnectionSettings settings = settings(database);
        int notKept;
        try (SessionPool.Session session = SessionPool.borrow(settings, "target", "pool close", "write", this::setUp)) {
            notKept = backend(session.connection());
        }
        int inTransaction;
        try (SessionPool.Session session = SessionPool.borrow(settings, "target", "pool close", "write", this::setUp)) {
            inTransaction = backend(session.connection());
            assertNotEquals(notKept, inTransaction);
            try (Statement statement = session.connection().createStatement()) {
                statement.execute("CREATE TABLE left_open (id int)");
            }
            // keep() is asked for, but the transaction is still open: the session must not serve anyone else.
            session.keep();
        }
        assertEquals(0, eventually(database, "SELECT count(*) FROM pg_stat_activity WHERE pid IN ("
                + notKept + ", " + inTransaction + ")"), "both sessions ended");
        assertEquals(0, Sql.count(postgres, database, "SELECT count(*) FROM pg_class WHERE relname = 'left_open'"),
                "the open transaction was rolled back with its session");
    }

    @Test
    void aKeptSessionTheServerTerminatedIsReplacedAndIdleSessionsCloseWithTheRun() throws Exception {
        String database = postgres.createDatabase("pool_killed");
        ConnectionSettings settings = settings(database);
        int killed;
        try (SessionPool.Session session = SessionPool.borrow(settings, "source", "pool killed", "read", null)) {
            killed = backend(session.connection());
            session.keep();
        }
        assertEquals(1, Sql.count(postgres, database, "SELECT count(*) FROM pg_stat_activity WHERE pid = " + killed));
        postgres.execute("postgres", "SELECT pg_terminate_backend(" + killed + ")");
        try (SessionPool.Session session = SessionPool.borrow(settings, "source", "pool killed", "read", null)) {
            int replacement = backend(session.connection());
            assertNotEquals(killed, replacement);
            session.keep();
        }
        assertEquals(1, Sql.count(postgres, database,
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pool killed'"));
        SessionPool.closeIdle();
        assertEquals(0, SessionPool.idleCount());
        assertEquals(0, eventually(database, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pool killed'"),
                "closeIdle ends the idle sessions");
    }

    /** The count, once it reaches 0 or 5 s have passed: a server process ends a moment after its client leaves. */
    private long eventually(String database, String count) {
        return await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> Sql.count(postgres, database, count), value -> value == 0);
    }

    private ConnectionSettings settings(String database) {
        return new ConnectionSettings(postgres.jdbcUrl(database), postgres.adminUser(), postgres.adminPassword(), 1000, Map.of());
    }

    private void setUp(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET pool_test.marker = 'set up'");
        }
        connection.commit();
    }

    private static int backend(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT pg_backend_pid()")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static String marker(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT coalesce(current_setting('pool_test.marker', true), '')")) {
            rows.next();
            return rows.getString(1);
        }
    }
}
