package dev.pgfullload.target;

import dev.pgfullload.config.TriggerMode;
import dev.pgfullload.error.FailureCategory;
import dev.pgfullload.error.FullLoadException;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

/**
 * Checks on the target made before anything is written: the server version, that the migration
 * user is a registered login role of the target database, and that it may do what the trigger mode
 * needs.
 */
public final class Preflight {

    /** PostgreSQL 9.3, the oldest target DMS supports, and ours. */
    static final int OLDEST_TARGET_VERSION = 90300;

    private Preflight() {
    }

    public static void check(Connection target, TriggerMode triggerMode) throws SQLException {
        int version = serverVersion(target);
        if (version < OLDEST_TARGET_VERSION) {
            throw new FullLoadException(FailureCategory.PREFLIGHT, "the target server runs PostgreSQL "
                    + describeVersion(version) + "; pg-fullload needs PostgreSQL 9.3 or later as a target");
        }
        checkRole(target);
        if (triggerMode == TriggerMode.SESSION_REPLICATION_ROLE) {
            checkReplicaRole(target);
        }
    }

    /** The extensions installed in the target database. */
    public static Set<String> installedExtensions(Connection target) throws SQLException {
        Set<String> extensions = new HashSet<>();
        try (Statement statement = target.createStatement();
             ResultSet rows = statement.executeQuery("SELECT extname FROM pg_catalog.pg_extension")) {
            while (rows.next()) {
                extensions.add(rows.getString(1));
            }
        }
        return extensions;
    }

    static int serverVersion(Connection target) throws SQLException {
        try (Statement statement = target.createStatement();
             ResultSet rows = statement.executeQuery("SHOW server_version_num")) {
            rows.next();
            return Integer.parseInt(rows.getString(1).trim());
        }
    }

    static String describeVersion(int versionNumber) {
        int major = versionNumber / 10000;
        return major >= 10 ? major + "." + versionNumber % 10000
                : major + "." + versionNumber / 100 % 100 + "." + versionNumber % 100;
    }

    private static void checkRole(Connection target) throws SQLException {
        try (Statement statement = target.createStatement();
             ResultSet rows = statement.executeQuery("""
                     SELECT session_user, current_database(), r.rolcanlogin,
                            has_database_privilege(session_user, current_database(), 'CONNECT')
                     FROM (SELECT 1) one LEFT JOIN pg_catalog.pg_roles r ON r.rolname = session_user
                     """)) {
            rows.next();
            String user = rows.getString(1);
            String database = rows.getString(2);
            Object canLogin = rows.getObject(3);
            if (canLogin == null || !rows.getBoolean(3)) {
                throw new FullLoadException(FailureCategory.PREFLIGHT, "the target user " + user
                        + " is not a registered role with LOGIN in the target database " + database
                        + ": create it with CREATE ROLE ... LOGIN, or run ALTER ROLE " + user + " LOGIN");
            }
            if (!rows.getBoolean(4)) {
                throw new FullLoadException(FailureCategory.PREFLIGHT, "the target user " + user
                        + " has no CONNECT privilege on the target database " + database + ": run GRANT CONNECT ON DATABASE "
                        + database + " TO " + user);
            }
        }
    }

    /** Tried for real, in a transaction that is rolled back: the only check that managed services cannot fool. */
    private static void checkReplicaRole(Connection target) throws SQLException {
        boolean autoCommit = target.getAutoCommit();
        target.setAutoCommit(false);
        try (Statement statement = target.createStatement()) {
            statement.execute("SET LOCAL session_replication_role = replica");
        } catch (SQLException e) {
            String user = target.getMetaData().getUserName();
            throw new FullLoadException(FailureCategory.PREFLIGHT, "the target user " + user
                    + " may not set session_replication_role (" + e.getMessage().lines().findFirst().orElse("") + "),"
                    + " which load.trigger-mode = SESSION_REPLICATION_ROLE needs. On PostgreSQL 15 or later a superuser can run"
                    + " GRANT SET ON PARAMETER session_replication_role TO " + user + "; before 15 the user must be a superuser."
                    + " On managed services that refuse it, set it in the service's parameter group, or use"
                    + " load.trigger-mode = DISABLE_TRIGGERS (table owner) or NONE (triggers fire, parents load first)", e);
        } finally {
            target.rollback();
            target.setAutoCommit(autoCommit);
        }
    }
}
