package dev.pgfullload.load;

import dev.pgfullload.config.ConnectionSettings;
import org.postgresql.core.BaseConnection;
import org.postgresql.util.HostSpec;
import dev.pgfullload.error.FailureCategory;
import dev.pgfullload.error.FullLoadException;
import dev.pgfullload.jdbc.Connections;
import dev.pgfullload.source.SourceDialect;
import dev.pgfullload.source.SourceTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.List;

/**
 * The one snapshot of the source that every partition of every table is read in, and that validation
 * counts in, held by a session of the driver from before the first read to after the last count. A
 * partition read on a session of its own would otherwise see whatever committed on the source before
 * it started: on a source still in use, rows updated, inserted or deleted during the load would be
 * read twice, missed, or read in some tables and not in others that reference them.
 */
final class SourceSnapshot implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SourceSnapshot.class);

    private final Connection connection;
    private final String name;
    private final ConnectionSettings source;

    private SourceSnapshot(Connection connection, String name, ConnectionSettings source) {
        this.connection = connection;
        this.name = name;
        this.source = source;
    }

    /**
     * Exports the source's snapshot now. A source that cannot export one (a PostgreSQL standby before
     * 10, a dialect without snapshots) is read partition by partition, each in a snapshot of its own,
     * and the log says so.
     */
    static SourceSnapshot open(SourceDialect dialect, ConnectionSettings source, String runId, List<SourceTable> tables) {
        Connection connection = Connections.open(source, "source", "pg-fullload " + runId + " snapshot");
        String name;
        try {
            name = dialect.exportSnapshot(connection);
        } catch (SQLException e) {
            LOG.warn("The source cannot export a snapshot for the load to share ({}): each read partition sees the source"
                    + " as it is when that partition starts, so keep the source free of writes until the load ends",
                    String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
            name = null;
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
        if (name == null) {
            closeQuietly(connection);
            return new SourceSnapshot(null, null, source);
        }
        try {
            lock(dialect, connection, tables, source.lockTimeoutMillis());
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
        // A snapshot is known to the server that exported it only: with a URL that names several, every session
        // that joins it goes to that one.
        ConnectionSettings joining;
        try {
            HostSpec server = connection.unwrap(BaseConnection.class).getQueryExecutor().getHostSpec();
            joining = source.onServer(server.getHost(), server.getPort());
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new FullLoadException(FailureCategory.LOAD, "the source's snapshot session failed: " + e.getMessage(), e);
        }
        LOG.info("Reading the source in one snapshot ({}): every table as it stood at this moment, whatever commits on it"
                + " during the load{}", name, joining == source ? "" : "; read from " + joining.endpoint() + ", the server that holds it");
        return new SourceSnapshot(connection, name, joining);
    }

    /**
     * The tables locked against being emptied or rewritten while the snapshot lasts. A table locked
     * exclusively by another session for longer than the wait allows stops the run before the target
     * changes; a lock the source user may not take is left out, with a warning.
     */
    private static void lock(SourceDialect dialect, Connection connection, List<SourceTable> tables, long lockTimeoutMillis) {
        Savepoint mark = null;
        try {
            mark = connection.setSavepoint();
            dialect.lockTables(connection, tables);
            connection.releaseSavepoint(mark);
        } catch (SQLException e) {
            String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            if ("55P03".equals(e.getSQLState())) {
                throw new FullLoadException(FailureCategory.PREFLIGHT, "another session holds a selected table of the source"
                        + " exclusively, so the load cannot keep it unchanged while it reads: the load "
                        + SourceDialect.lockWait(lockTimeoutMillis, dialect.exclusiveLockHolders(connection)) + ". Wait for that"
                        + " session's statement (an ALTER TABLE, a TRUNCATE, a VACUUM FULL) to end and run the load again", e);
            }
            LOG.warn("The source's tables are not locked for the load ({}): keep TRUNCATE and table rewrites off them until"
                    + " the load ends", message);
            try {
                if (mark != null) {
                    connection.rollback(mark);
                }
            } catch (SQLException rollbackFailure) {
                throw new FullLoadException(FailureCategory.LOAD, "the source's snapshot session failed: " + message, e);
            }
        }
    }

    /** The snapshot's name, for the reading sessions to join; null when each reads in its own. */
    String name() {
        return name;
    }

    /** The source's settings for the sessions that join the snapshot: on the server that exported it. */
    ConnectionSettings source() {
        return source;
    }

    @Override
    public void close() {
        if (connection != null) {
            closeQuietly(connection);
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // The server ends the session's transaction with the session.
        }
    }
}
