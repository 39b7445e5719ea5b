package dev.pgfullload.jdbc;

import org.apache.spark.sql.execution.datasources.jdbc.JDBCOptions;
import org.apache.spark.sql.jdbc.JdbcConnectionProvider;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * How Spark's JDBC source opens pg-fullload's source sessions ({@code source.read-method = JDBC}): as
 * Spark's own basic provider does, then with {@code SET lock_timeout} (source.lock-timeout) before
 * anything else runs on them. Spark asks the driver's session for the query's columns before any init
 * statement, and that question waits for a table lock as a read does; without this it could wait for
 * a load that waits for it. Spark finds the provider through {@code META-INF/services}; it handles
 * only connections whose options name it ({@link #options}), so other users of Spark's JDBC source in
 * the same application keep Spark's.
 */
public final class LockTimeoutConnectionProvider extends JdbcConnectionProvider {

    /** The provider's name, for Spark's {@code connectionProvider} option. */
    public static final String NAME = "pg-fullload";

    /**
     * The option that carries the lock timeout in milliseconds; not passed on to the driver. In lower
     * case: Spark keeps its options in a case-insensitive map that may hand them over lower-cased.
     */
    static final String LOCK_TIMEOUT_MILLIS = "pgfullload.locktimeoutmillis";

    /** Sets the options on {@code properties} (those of a Spark JDBC read) that make Spark open its sessions here. */
    public static void options(Properties properties, long lockTimeoutMillis) {
        properties.setProperty("connectionProvider", NAME);
        properties.setProperty(LOCK_TIMEOUT_MILLIS, Long.toString(lockTimeoutMillis));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean canHandle(Driver driver, scala.collection.immutable.Map<String, String> options) {
        return options.contains(LOCK_TIMEOUT_MILLIS);
    }

    @Override
    public Connection getConnection(Driver driver, scala.collection.immutable.Map<String, String> options) {
        JDBCOptions jdbc = new JDBCOptions(options);
        Properties properties = jdbc.asConnectionProperties();
        properties.stringPropertyNames().stream().filter(LOCK_TIMEOUT_MILLIS::equalsIgnoreCase).forEach(properties::remove);
        long millis = Long.parseLong(options.get(LOCK_TIMEOUT_MILLIS).get());
        try {
            Connection connection = driver.connect(jdbc.url(), properties);
            if (connection == null) {
                throw new SQLException("the JDBC driver " + driver.getClass().getName() + " does not take the source URL");
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute(Connections.lockTimeoutStatement(millis));
            } catch (SQLException e) {
                try {
                    connection.close();
                } catch (SQLException closeFailure) {
                    e.addSuppressed(closeFailure);
                }
                throw e;
            }
            return connection;
        } catch (SQLException e) {
            // Spark's own providers let the driver's exception through as it is; so does this one.
            throw LockTimeoutConnectionProvider.<RuntimeException>rethrow(e);
        }
    }

    @Override
    public boolean modifiesSecurityContext(Driver driver, scala.collection.immutable.Map<String, String> options) {
        return false;
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T rethrow(Throwable failure) throws T {
        throw (T) failure;
    }
}
