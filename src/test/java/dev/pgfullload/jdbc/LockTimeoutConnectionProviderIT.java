package dev.pgfullload.jdbc;

import dev.pgfullload.testing.TestingPostgreSQL;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sessions Spark's JDBC source opens for pg-fullload start with source.lock-timeout, and only those. */
class LockTimeoutConnectionProviderIT {

    private final TestingPostgreSQL postgres = TestingPostgreSQL.shared();

    @Test
    void aSessionOpenedForTheSourceWaitsAtMostTheLockTimeoutAndOthersAreLeftToSpark() throws Exception {
        String database = postgres.createDatabase("ltp");
        Properties read = new Properties();
        read.setProperty("user", postgres.adminUser());
        if (postgres.adminPassword() != null) {
            read.setProperty("password", postgres.adminPassword());
        }
        read.setProperty("ApplicationName", "lock timeout test");
        Map<String, String> plain = new HashMap<>();
        read.forEach((key, value) -> plain.put(key.toString(), value.toString()));
        plain.put("url", postgres.jdbcUrl(database));
        plain.put("dbtable", "pg_class");
        LockTimeoutConnectionProvider.options(read, 1500);
        Map<String, String> withTimeout = new HashMap<>(plain);
        read.forEach((key, value) -> withTimeout.put(key.toString(), value.toString()));

        LockTimeoutConnectionProvider provider = new LockTimeoutConnectionProvider();
        Driver driver = DriverManager.getDriver(postgres.jdbcUrl(database));
        assertFalse(provider.canHandle(driver, scala(plain)), "a Spark JDBC read of its own keeps Spark's provider");
        assertTrue(provider.canHandle(driver, scala(withTimeout)));
        assertEquals("pg-fullload", withTimeout.get("connectionProvider"));

        try (Connection session = provider.getConnection(driver, scala(withTimeout));
             Statement statement = session.createStatement();
             ResultSet rows = statement.executeQuery("SELECT current_setting('lock_timeout'), current_setting('application_name')")) {
            rows.next();
            assertEquals("1500ms", rows.getString(1));
            // The driver properties are passed on.
            assertEquals("lock timeout test", rows.getString(2));
        }
    }

    private static scala.collection.immutable.Map<String, String> scala(Map<String, String> options) {
        return scala.collection.immutable.Map$.MODULE$.from(scala.jdk.javaapi.CollectionConverters.asScala(options));
    }
}
