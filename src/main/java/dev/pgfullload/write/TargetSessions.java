package dev.pgfullload.write;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A cap on the partitions that write into the target at once, across every executor of the cluster
 * ({@code load.max-target-sessions}): before its COPY, a partition's session takes one of that many
 * session-level advisory locks on the target, keyed by the run, and gives it back when the partition
 * has committed or failed. The target itself keeps the count, so no executor needs to know of another,
 * and a session that dies gives its lock back with it.
 *
 * <p>Partitions of one executor line up before that: only the first of them opens its target session
 * and waits there for a turn; the others wait in the executor, holding no session, until it has one.
 * So a capped load holds at most the cap's sessions plus one waiting session per executor, however
 * many task slots the cluster has.
 */
final class TargetSessions {

    private static final Logger LOG = LoggerFactory.getLogger(TargetSessions.class);

    /** Longest pause between two tries for a free lock. */
    static final long MAX_PAUSE_MILLIS = 200;

    /** A partition waiting for its turn says so in the log this often. */
    private static final long REPORT_EVERY_MILLIS = 30_000;

    /** The partitions of this executor waiting for a turn, in order; the first one waits on the target. */
    private static final Semaphore FIRST_IN_LINE = new Semaphore(1, true);

    private TargetSessions() {
    }

    /** A place in this executor's line, or none (no cap); {@link #close()} (or the turn's take) leaves it. */
    static final class Place implements AutoCloseable {

        private final AtomicBoolean held;

        private Place(boolean held) {
            this.held = new AtomicBoolean(held);
        }

        @Override
        public void close() {
            if (held.compareAndSet(true, false)) {
                FIRST_IN_LINE.release();
            }
        }
    }

    /**
     * Waits, without a session, until this partition is the first of its executor to wait for a turn;
     * with a cap of 0, returns at once.
     */
    static Place line(int cap) {
        if (cap <= 0) {
            return new Place(false);
        }
        try {
            FIRST_IN_LINE.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a target session", e);
        }
        return new Place(true);
    }

    /** As {@link #take(Connection, String, int, String)}, leaving {@code place} once the turn is taken. */
    static Turn take(Connection connection, String runId, int cap, String what, Place place) throws SQLException {
        try {
            return take(connection, runId, cap, what);
        } finally {
            place.close();
        }
    }

    /** A lock held, or none (no cap); {@link #close()} gives it back. */
    static final class Turn implements AutoCloseable {

        private final Connection connection;
        private final int key;
        private final int slot;

        private Turn(Connection connection, int key, int slot) {
            this.connection = connection;
            this.key = key;
            this.slot = slot;
        }

        /**
         * Gives the lock back in a transaction of its own, so the session returns to its pool clean; a
         * session that cannot is closed, and its lock ends with it.
         */
        @Override
        public void close() {
            if (connection == null) {
                return;
            }
            try (PreparedStatement statement = connection.prepareStatement("SELECT pg_catalog.pg_advisory_unlock(?, ?)")) {
                statement.setInt(1, key);
                statement.setInt(2, slot);
                boolean held;
                try (ResultSet rows = statement.executeQuery()) {
                    held = rows.next() && rows.getBoolean(1);
                }
                connection.commit();
                if (!held) {
                    // Not this backend's lock any more: a pooler between pg-fullload and the target (PgBouncer in
                    // transaction mode) moved the session. Closing it is the one way to be sure nothing stays held.
                    throw new SQLException("the target session no longer held it (a connection pooler in transaction"
                            + " mode between pg-fullload and the target cannot keep session locks)");
                }
            } catch (SQLException e) {
                LOG.warn("could not give back target session lock {} ({}): closing the session instead", slot, e.getMessage());
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // The server ends the session's locks with the session.
                }
            }
        }
    }

    /**
     * Waits for a free one of the run's {@code cap} locks and takes it, on {@code connection}
     * (autocommit off; its transaction is ended before this returns). With a cap of 0, takes nothing.
     */
    static Turn take(Connection connection, String runId, int cap, String what) throws SQLException {
        if (cap <= 0) {
            return new Turn(null, 0, 0);
        }
        int key = runId.hashCode();
        long started = System.nanoTime();
        long pause = 10;
        long reported = 0;
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_catalog.pg_try_advisory_lock(?, ?)")) {
            while (true) {
                // From a different first slot per session, so waiting partitions do not all try the same locks in turn.
                int first = Math.floorMod(System.identityHashCode(connection) + (int) (System.nanoTime() >>> 10), cap);
                for (int i = 0; i < cap; i++) {
                    int slot = (first + i) % cap;
                    statement.setInt(1, key);
                    statement.setInt(2, slot);
                    boolean taken;
                    try (ResultSet rows = statement.executeQuery()) {
                        rows.next();
                        taken = rows.getBoolean(1);
                    }
                    if (taken) {
                        connection.commit();
                        return new Turn(connection, key, slot);
                    }
                }
                connection.rollback();
                long waited = (System.nanoTime() - started) / 1_000_000;
                if (waited - reported >= REPORT_EVERY_MILLIS) {
                    LOG.info("{} has waited {} s for one of the {} target sessions load.max-target-sessions allows", what,
                            waited / 1000, cap);
                    reported = waited;
                }
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for a target session", e);
                }
                pause = Math.min(MAX_PAUSE_MILLIS, pause * 2);
            }
        }
    }
}
