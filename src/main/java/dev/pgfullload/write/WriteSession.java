package dev.pgfullload.write;

import dev.pgfullload.jdbc.SessionPool;

import java.sql.SQLException;
import java.sql.Statement;

/** The one place a write session is obtained and configured. */
public final class WriteSession {

    private WriteSession() {
    }

    /**
     * A session with autocommit off, with the replica role set when the trigger mode asks for it; one a
     * partition of the same load finished with cleanly is reused (see {@link SessionPool}).
     */
    public static SessionPool.Session open(WriteSpec spec) throws SQLException {
        return SessionPool.borrow(spec.target(), "target", spec.applicationName(),
                spec.replicaRole() ? "write, replica role" : "write", connection -> {
                    connection.setAutoCommit(false);
                    try (Statement statement = connection.createStatement()) {
                        // Partition commits need not wait for their WAL flush: the driver's first synchronous commit
                        // after the table's rows (see PostLoad) flushes them all before the table is reported loaded.
                        statement.execute("SET synchronous_commit = off");
                        if (spec.replicaRole()) {
                            // Foreign-key and ordinary user triggers do not fire in this session.
                            statement.execute("SET session_replication_role = replica");
                        }
                    }
                    // The SETs opened a transaction: the session starts the partition clean.
                    connection.commit();
                });
    }
}
