package dev.pgfullload.target;

import dev.pgfullload.config.TriggerMode;
import dev.pgfullload.error.Problem;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static dev.pgfullload.schema.Identifiers.quote;

/**
 * Checks on the target made before anything is written: the server version, that the migration
 * user is a registered login role of the target database, and that it may do what the trigger mode
 * needs. The privileges the preparation and the load need are {@link PrivilegeCheck}'s.
 */
public final class Preflight {

    /** PostgreSQL 9.3, the oldest target DMS supports, and ours. */
    public static final int OLDEST_TARGET_VERSION = 90300;

    private Preflight() {
    }

    /**
     * The server version, the migration user's role (LOGIN, CONNECT) and, for trigger mode
     * SESSION_REPLICATION_ROLE, the right to set the replica role, tried for real. Every problem found,
     * none thrown; nothing is written.
     */
    public static List<Problem> check(Connection target, TriggerMode triggerMode) throws SQLException {
        int version = serverVersion(target);
        if (version < OLDEST_TARGET_VERSION) {
            return List.of(Problem.preflight("the target server runs PostgreSQL " + describeVersion(version)
                    + "; pg-fullload needs PostgreSQL 9.3 or later as a target"));
        }
        List<Problem> problems = new ArrayList<>(checkRole(target));
        if (triggerMode == TriggerMode.SESSION_REPLICATION_ROLE) {
            checkReplicaRole(target, version).ifPresent(problems::add);
        }
        return problems;
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

    public static int serverVersion(Connection target) throws SQLException {
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

    private static List<Problem> checkRole(Connection target) throws SQLException {
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
            List<Problem> problems = new ArrayList<>();
            if (canLogin == null || !rows.getBoolean(3)) {
                problems.add(Problem.preflight("the target user " + user
                        + " is not a registered role with LOGIN in the target database " + database
                        + ": create it with CREATE ROLE " + quote(user) + " LOGIN, or run ALTER ROLE " + quote(user) + " LOGIN"));
            }
            if (!rows.getBoolean(4)) {
                problems.add(Problem.preflight("the target user " + user + " has no CONNECT privilege on the target database "
                        + database + ": run GRANT CONNECT ON DATABASE " + quote(database) + " TO " + quote(user)));
            }
            return problems;
        }
    }

    /** Tried for real, in a transaction that is rolled back: the only check that managed services cannot fool. */
    private static Optional<Problem> checkReplicaRole(Connection target, int version) throws SQLException {
        boolean autoCommit = target.getAutoCommit();
        target.setAutoCommit(false);
        try (Statement statement = target.createStatement()) {
            statement.execute("SET LOCAL session_replication_role = replica");
            return Optional.empty();
        } catch (SQLException e) {
            String user = target.getMetaData().getUserName();
            String grant = version >= 150000
                    ? "a superuser can run GRANT SET ON PARAMETER session_replication_role TO " + quote(user)
                    : "on PostgreSQL " + describeVersion(version) + " only a superuser may set it (PostgreSQL 15 and later"
                    + " allow GRANT SET ON PARAMETER session_replication_role TO " + quote(user) + ")";
            return Optional.of(Problem.preflight("the target user " + user
                    + " may not set session_replication_role (" + e.getMessage().lines().findFirst().orElse("") + "),"
                    + " which load.trigger-mode = SESSION_REPLICATION_ROLE needs: " + grant + "."
                    + " On managed services that refuse it (Amazon RDS and Aurora, for instance), set it in the service's"
                    + " parameter group, or use load.trigger-mode = DISABLE_TRIGGERS (table owner) or NONE (triggers fire,"
                    + " parents load first)"));
        } finally {
            target.rollback();
            target.setAutoCommit(autoCommit);
        }
    }
}
