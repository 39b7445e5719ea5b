package dev.pgfullload.jdbc;

import dev.pgfullload.config.ConnectionSettings;
import dev.pgfullload.error.FailureCategory;
import dev.pgfullload.error.FullLoadException;
import dev.pgfullload.schema.Identifiers;

import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Opens JDBC connections and turns the driver's connection failures into messages that say what is
 * wrong and what to do. Used on the driver and on the executors alike.
 */
public final class Connections {

    /** Seconds to wait for a server before giving up, unless the URL or the properties say otherwise. */
    static final String DEFAULT_CONNECT_TIMEOUT_SECONDS = "10";

    /**
     * Seconds the whole login may take (TLS, authentication), unless the URL or the properties say
     * otherwise: a port that accepts the connection and never answers would otherwise hang the run.
     */
    static final String DEFAULT_LOGIN_TIMEOUT_SECONDS = "30";

    private Connections() {
    }

    public static Connection open(ConnectionSettings settings, String side, String applicationName) {
        Properties properties = settings.driverProperties();
        if (settings.url().startsWith("jdbc:postgresql:")) {
            if (!settings.url().contains("connectTimeout=")) {
                properties.putIfAbsent("connectTimeout", DEFAULT_CONNECT_TIMEOUT_SECONDS);
            }
            if (!settings.url().contains("loginTimeout=")) {
                properties.putIfAbsent("loginTimeout", DEFAULT_LOGIN_TIMEOUT_SECONDS);
            }
            properties.putIfAbsent("ApplicationName", applicationName);
        }
        Connection connection;
        try {
            connection = DriverManager.getConnection(settings.url(), properties);
        } catch (SQLException e) {
            throw connectFailure(settings, side, e);
        }
        if (settings.lockTimeoutMillis() > 0 && settings.url().startsWith("jdbc:postgresql:")) {
            // Every statement of the session waits at most this long for a table lock (source.lock-timeout).
            try (java.sql.Statement statement = connection.createStatement()) {
                statement.execute(lockTimeoutStatement(settings.lockTimeoutMillis()));
            } catch (SQLException e) {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // The session is of no use either way.
                }
                throw new FullLoadException("source".equals(side) ? FailureCategory.SOURCE_CONNECT : FailureCategory.TARGET_CONNECT,
                        "could not set lock_timeout on the " + side + " session: " + e.getMessage(), e);
            }
        }
        return connection;
    }

    /** Work done in one transaction of a session. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws SQLException;
    }

    /**
     * Runs {@code work} in a transaction of its own on {@code connection}: committed when it returns,
     * rolled back when it throws; the session's autocommit is as it was afterwards.
     */
    public static <T> T inTransaction(Connection connection, Work<T> work) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            T result = work.run();
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** PostgreSQL's session setting for {@code millis} of waiting for a lock. */
    public static String lockTimeoutStatement(long millis) {
        return "SET lock_timeout = '" + millis + "ms'";
    }

    static FullLoadException connectFailure(ConnectionSettings settings, String side, SQLException e) {
        FailureCategory category = "source".equals(side) ? FailureCategory.SOURCE_CONNECT : FailureCategory.TARGET_CONNECT;
        String where = side + " database " + settings.redactedUrl();
        String user = settings.user() == null ? "(none given)" : settings.user();
        String quotedUser = settings.user() == null ? "<user>" : Identifiers.quote(settings.user());
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        String firstLine = message.lines().findFirst().orElse(message);
        String sslMode = settings.tls().mode() != null ? settings.tls().mode()
                : settings.properties().getOrDefault("sslmode", "prefer (the driver's default)");
        String advice;
        Throwable unresolved = e.getCause();
        while (unresolved != null && !(unresolved instanceof UnknownHostException)) {
            unresolved = unresolved.getCause();
        }
        if (message.contains("Invalid sslmode value")) {
            advice = "the " + side + " connection asks for an SSL mode the driver does not know (" + firstLine + "): use one of"
                    + " disable, allow, prefer, require, verify-ca or verify-full in " + side + ".ssl.mode (or sslmode in "
                    + side + ".url or " + side + ".properties)";
        } else if (unresolved != null) {
            advice = "cannot reach the " + side + " server at " + settings.endpoint() + ": its host name does not resolve ("
                    + unresolved + "): check the host in " + side + ".url, and the name service (DNS, /etc/hosts) of this machine";
        } else if (message.contains("does not support SSL")) {
            advice = "the " + side + " server at " + settings.endpoint() + " does not support SSL, and " + side
                    + ".ssl.mode = " + sslMode + " requires it (" + firstLine + "): turn ssl on in the server's"
                    + " postgresql.conf, or set " + side + ".ssl.mode = prefer or disable if the network is trusted";
        } else if (state.startsWith("08") && (message.contains("SSL") || message.contains("certificate")
                || message.contains("hostnameverifier"))) {
            advice = "the TLS connection to the " + side + " server at " + settings.endpoint() + " failed (" + firstLine
                    + "): check " + side + ".ssl (mode " + sslMode + ", root-cert, cert, key, key-password) against the"
                    + " server's certificate";
        } else {
            advice = switch (state) {
                case "28P01" -> "password authentication failed for user " + user + " on the " + where
                        + ": check " + side + ".user and the password (" + side + ".password or " + side + ".password-file)";
                case "28000" -> "the " + where + " refused user " + user + " (" + firstLine
                        + "): the migration user must be a registered role with LOGIN in that database"
                        + " (CREATE ROLE " + quotedUser + " LOGIN, or ALTER ROLE " + quotedUser + " LOGIN) and be allowed by pg_hba.conf";
                case "42501" -> "the " + where + " refused user " + user + " (" + firstLine + "): "
                        + (settings.database() == null ? "grant it the CONNECT privilege on the database"
                        : "run GRANT CONNECT ON DATABASE " + Identifiers.quote(settings.database()) + " TO " + quotedUser);
                case "3D000" -> "the " + where + " does not exist (" + firstLine
                        + "): create it first, or correct " + side + ".url";
                case "08001", "08004", "08006" -> "cannot reach the " + side + " server at " + settings.endpoint()
                        + " (" + firstLine + "): check host and port in " + side
                        + ".url, and that the server is running and accepts TCP connections from here";
                case "53300" -> "the " + side + " server at " + settings.endpoint()
                        + " has no connection slots left (" + firstLine + "): lower load.max-full-load-subtasks"
                        + " or raise max_connections";
                default -> "cannot connect to the " + where + " as " + user + ": " + firstLine;
            };
        }
        return new FullLoadException(category, advice, e);
    }
}
