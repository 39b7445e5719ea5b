package dev.pgfullload.write;

import dev.pgfullload.jdbc.Connections;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** The one place a write session is opened and configured. */
public final class WriteSession {

    private WriteSession() {
    }

    /** A connection in a transaction, with the replica role set when the trigger mode asks for it. */
    public static Connection open(WriteSpec spec) throws SQLException {
        Connection connection = Connections.open(spec.target(), "target", spec.applicationName());
        try {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                // Partition commits need not wait for their WAL flush: the driver's synchronous commit at the
                // end of each table (PostLoad.makeDurable) flushes them all before the table is reported loaded.
                statement.execute("SET synchronous_commit = off");
                if (spec.replicaRole()) {
                    // Foreign-key and ordinary user triggers do not fire in this session.
                    statement.execute("SET session_replication_role = replica");
                }
            }
            return connection;
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }
}
