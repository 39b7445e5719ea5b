package dev.pgfullload.jdbc;

import dev.pgfullload.config.ConnectionSettings;
import dev.pgfullload.error.FailureCategory;
import dev.pgfullload.error.FullLoadException;

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

    private Connections() {
    }

    public static Connection open(ConnectionSettings settings, String side, String applicationName) {
        Properties properties = settings.driverProperties();
        if (settings.url().startsWith("jdbc:postgresql:")) {
            if (!settings.url().contains("connectTimeout=")) {
                properties.putIfAbsent("connectTimeout", DEFAULT_CONNECT_TIMEOUT_SECONDS);
            }
            properties.putIfAbsent("ApplicationName", applicationName);
        }
        try {
            return DriverManager.getConnection(settings.url(), properties);
        } catch (SQLException e) {
            throw connectFailure(settings, side, e);
        }
    }

    static FullLoadException connectFailure(ConnectionSettings settings, String side, SQLException e) {
        FailureCategory category = "source".equals(side) ? FailureCategory.SOURCE_CONNECT : FailureCategory.TARGET_CONNECT;
        String where = side + " database " + settings.redactedUrl();
        String user = settings.user() == null ? "(none given)" : settings.user();
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String advice = switch (state) {
            case "28P01" -> "password authentication failed for user " + user + " on the " + where
                    + ": check " + side + ".user and the password (" + side + ".password or " + side + ".password-file)";
            case "28000" -> "the " + where + " refused user " + user + " (" + e.getMessage()
                    + "): the migration user must be a registered role with LOGIN in that database"
                    + " (CREATE ROLE ... LOGIN, or ALTER ROLE " + user + " LOGIN) and be allowed by pg_hba.conf";
            case "3D000" -> "the " + where + " does not exist (" + e.getMessage()
                    + "): create it first, or correct " + side + ".url";
            case "08001", "08004", "08006" -> "cannot reach the " + side + " server at " + settings.endpoint()
                    + " (" + e.getMessage() + "): check host and port in " + side
                    + ".url, and that the server is running and accepts TCP connections from here";
            case "53300" -> "the " + side + " server at " + settings.endpoint()
                    + " has no connection slots left (" + e.getMessage() + "): lower load.max-full-load-subtasks"
                    + " or raise max_connections";
            default -> "cannot connect to the " + where + " as " + user + ": " + e.getMessage();
        };
        return new FullLoadException(category, advice, e);
    }
}
