package dev.pgfullload.jdbc;

import dev.pgfullload.config.ConnectionSettings;
import dev.pgfullload.config.TlsSettings;
import dev.pgfullload.error.FailureCategory;
import dev.pgfullload.error.FullLoadException;
import org.junit.jupiter.api.Test;

import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** What the job says when a connection fails, for each way the driver reports it. */
class ConnectionsTest {

    private static final ConnectionSettings TARGET = new ConnectionSettings(
            "jdbc:postgresql://db.example.com:6432/app_copy?password=In-Url", "loader", "Pw-Secret", 0, Map.of());

    @Test
    void noConnectPrivilegeGivesTheGrant() {
        FullLoadException e = Connections.connectFailure(TARGET, "target", new SQLException(
                "FATAL: permission denied for database \"app_copy\"\n  Detail: User does not have CONNECT privilege.", "42501"));
        assertEquals(FailureCategory.TARGET_CONNECT, e.category());
        assertEquals("the target database jdbc:postgresql://db.example.com:6432/app_copy?password=*** refused user loader"
                + " (FATAL: permission denied for database \"app_copy\"): run GRANT CONNECT ON DATABASE \"app_copy\" TO \"loader\"",
                e.getMessage());
    }

    @Test
    void aRoleWithoutLoginGetsTheStatementsQuoted() {
        ConnectionSettings mixedCase = new ConnectionSettings("jdbc:postgresql://h/db", "Mixed\"Case", null, 0, Map.of());
        FullLoadException e = Connections.connectFailure(mixedCase, "source",
                new SQLException("FATAL: role \"Mixed\"Case\" is not permitted to log in", "28000"));
        assertEquals(FailureCategory.SOURCE_CONNECT, e.category());
        assertEquals("the source database jdbc:postgresql://h/db refused user Mixed\"Case (FATAL: role \"Mixed\"Case\" is not"
                + " permitted to log in): the migration user must be a registered role with LOGIN in that database (CREATE ROLE"
                + " \"Mixed\"\"Case\" LOGIN, or ALTER ROLE \"Mixed\"\"Case\" LOGIN) and be allowed by pg_hba.conf", e.getMessage());
    }

    @Test
    void aServerWithoutSslNamesTheMode() {
        ConnectionSettings require = new ConnectionSettings("jdbc:postgresql://db:5432/app", "u", null, 0, Map.of(),
                new TlsSettings("require", null, null, null, null));
        FullLoadException e = Connections.connectFailure(require, "target",
                new SQLException("The server does not support SSL.", "08004"));
        assertEquals("the target server at db:5432 does not support SSL, and target.ssl.mode = require requires it (The server"
                + " does not support SSL.): turn ssl on in the server's postgresql.conf, or set target.ssl.mode = prefer or"
                + " disable if the network is trusted", e.getMessage());
    }

    @Test
    void aFailedCertificateCheckPointsAtTheSslSettings() {
        ConnectionSettings verify = new ConnectionSettings("jdbc:postgresql://db:5432/app", "u", null, 0,
                Map.of("sslmode", "verify-full"));
        FullLoadException e = Connections.connectFailure(verify, "source", new SQLException(
                "SSL error: PKIX path building failed", "08006"));
        assertEquals("the TLS connection to the source server at db:5432 failed (SSL error: PKIX path building failed): check"
                + " source.ssl (mode verify-full, root-cert, cert, key, key-password) against the server's certificate",
                e.getMessage());
    }

    @Test
    void aRefusedConnectionNamesHostAndPort() {
        FullLoadException e = Connections.connectFailure(TARGET, "target", new SQLException(
                "Connection to db.example.com:6432 refused. Check that the hostname and port are correct", "08001"));
        assertEquals("cannot reach the target server at db.example.com:6432 (Connection to db.example.com:6432 refused. Check"
                + " that the hostname and port are correct): check host and port in target.url, and that the server is running"
                + " and accepts TCP connections from here", e.getMessage());
    }

    @Test
    void aWrongPasswordIsNeverRepeated() {
        FullLoadException e = Connections.connectFailure(TARGET, "target",
                new SQLException("FATAL: password authentication failed for user \"loader\"", "28P01"));
        assertEquals("password authentication failed for user loader on the target database"
                + " jdbc:postgresql://db.example.com:6432/app_copy?password=***: check target.user and the password"
                + " (target.password or target.password-file)", e.getMessage());
        assertFalse(e.getMessage().contains("Pw-Secret") || e.getMessage().contains("In-Url"));
    }

    @Test
    void anUnknownSslModeIsASettingNotAnUnreachableServer() {
        FullLoadException e = Connections.connectFailure(TARGET, "target", new SQLException("Invalid sslmode value: bogus", "08001"));
        assertEquals("the target connection asks for an SSL mode the driver does not know (Invalid sslmode value: bogus): use"
                + " one of disable, allow, prefer, require, verify-ca or verify-full in target.ssl.mode (or sslmode in target.url"
                + " or target.properties)", e.getMessage());
    }

    @Test
    void aHostNameThatDoesNotResolveIsNamed() {
        SQLException failed = new SQLException("The connection attempt failed.", "08001",
                new UnknownHostException("db.example.com"));
        FullLoadException e = Connections.connectFailure(TARGET, "target", failed);
        assertEquals("cannot reach the target server at db.example.com:6432: its host name does not resolve"
                + " (java.net.UnknownHostException: db.example.com): check the host in target.url, and the name service (DNS,"
                + " /etc/hosts) of this machine", e.getMessage());
    }
}
