package dev.pgfullload.jdbc;

import dev.pgfullload.config.ConnectionSettings;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Database sessions kept open between the steps of a run, in the JVM that used them (the driver, or an
 * executor). Without it a load of many small tables starts several server processes per table, and each
 * costs the server a fork and a few milliseconds of CPU.
 *
 * <p>A session goes back to the pool only when its user said it finished cleanly ({@link Session#keep()})
 * and it holds no open transaction; anything else (an exception, a cancelled COPY) closes it. It is
 * checked again before it is handed out, and one left idle for {@link #IDLE_SECONDS} is closed.
 * Sessions are pooled by settings, side, application name and purpose, so a session is only reused
 * for the same kind of work, with the same session settings.
 */
public final class SessionPool {

    private static final Logger LOG = LoggerFactory.getLogger(SessionPool.class);

    /** Seconds an unused session stays open. */
    static final long IDLE_SECONDS = 30;

    /** Sessions per kind kept idle; more than this many finishing at once are closed. */
    private static final int MAX_IDLE_PER_KIND = 16;

    /** Seconds a reused session has to answer the check before it is replaced. */
    private static final int CHECK_SECONDS = 5;

    /** How a fresh session of a kind is set up before its first use. */
    @FunctionalInterface
    public interface Setup {
        void apply(Connection connection) throws SQLException;
    }

    private record Kind(ConnectionSettings settings, String side, String applicationName, String purpose) {
    }

    private record Idle(Connection connection, long since) {
    }

    private static final Map<Kind, Deque<Idle>> IDLE = new HashMap<>();

    private static ScheduledExecutorService reaper;

    private SessionPool() {
    }

    /**
     * A session of this kind: an idle one that still answers, or a new one, set up by {@code setup}.
     *
     * @param purpose what the session is for; sessions of different purposes are never exchanged
     */
    public static Session borrow(ConnectionSettings settings, String side, String applicationName, String purpose, Setup setup)
            throws SQLException {
        Kind kind = new Kind(settings, side, applicationName, purpose);
        Connection idle;
        while ((idle = takeIdle(kind)) != null) {
            if (answers(idle)) {
                return new Session(kind, idle);
            }
            closeQuietly(idle);
        }
        Connection connection = Connections.open(settings, side, applicationName);
        try {
            if (setup != null) {
                setup.apply(connection);
            }
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
        return new Session(kind, connection);
    }

    /** Closes every idle session in this JVM: the end of a run, or a test that needs its databases free. */
    public static void closeIdle() {
        List<Connection> closing = new ArrayList<>();
        synchronized (IDLE) {
            IDLE.values().forEach(sessions -> sessions.forEach(session -> closing.add(session.connection())));
            IDLE.clear();
        }
        closing.forEach(SessionPool::closeQuietly);
    }

    /** Idle sessions in this JVM, for tests. */
    static int idleCount() {
        synchronized (IDLE) {
            return IDLE.values().stream().mapToInt(Deque::size).sum();
        }
    }

    private static Connection takeIdle(Kind kind) {
        List<Connection> expired = new ArrayList<>();
        Connection taken = null;
        synchronized (IDLE) {
            Deque<Idle> sessions = IDLE.get(kind);
            long now = System.nanoTime();
            while (sessions != null && !sessions.isEmpty() && taken == null) {
                Idle session = sessions.pollLast();
                if (now - session.since() > TimeUnit.SECONDS.toNanos(IDLE_SECONDS)) {
                    expired.add(session.connection());
                } else {
                    taken = session.connection();
                }
            }
        }
        expired.forEach(SessionPool::closeQuietly);
        return taken;
    }

    private static void giveBack(Kind kind, Connection connection) {
        boolean kept;
        synchronized (IDLE) {
            Deque<Idle> sessions = IDLE.computeIfAbsent(kind, ignored -> new ArrayDeque<>());
            kept = sessions.size() < MAX_IDLE_PER_KIND;
            if (kept) {
                sessions.addLast(new Idle(connection, System.nanoTime()));
                startReaper();
            }
        }
        if (!kept) {
            closeQuietly(connection);
        }
    }

    /** A daemon that closes sessions nobody took back within {@link #IDLE_SECONDS} (an executor between runs). */
    private static void startReaper() {
        if (reaper != null) {
            return;
        }
        reaper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "pg-fullload-session-reaper");
            thread.setDaemon(true);
            return thread;
        });
        reaper.scheduleWithFixedDelay(SessionPool::closeExpired, IDLE_SECONDS, IDLE_SECONDS / 3, TimeUnit.SECONDS);
    }

    private static void closeExpired() {
        List<Connection> expired = new ArrayList<>();
        long now = System.nanoTime();
        synchronized (IDLE) {
            for (Deque<Idle> sessions : IDLE.values()) {
                for (Iterator<Idle> iterator = sessions.iterator(); iterator.hasNext(); ) {
                    Idle session = iterator.next();
                    if (now - session.since() > TimeUnit.SECONDS.toNanos(IDLE_SECONDS)) {
                        expired.add(session.connection());
                        iterator.remove();
                    }
                }
            }
        }
        expired.forEach(SessionPool::closeQuietly);
    }

    /** Still connected, no transaction left open, and the server answers. */
    private static boolean answers(Connection connection) {
        try {
            return clean(connection) && connection.isValid(CHECK_SECONDS);
        } catch (SQLException e) {
            return false;
        }
    }

    private static boolean clean(Connection connection) throws SQLException {
        return !connection.isClosed() && connection.unwrap(BaseConnection.class).getTransactionState() == TransactionState.IDLE;
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("Closing a pooled session failed: {}", e.getMessage());
        }
    }

    /** A borrowed session: closing it gives it back when {@link #keep()} was called and it is clean, else closes it. */
    public static final class Session implements AutoCloseable {

        private final Kind kind;
        private final Connection connection;
        private boolean keep;

        private Session(Kind kind, Connection connection) {
            this.kind = kind;
            this.connection = connection;
        }

        public Connection connection() {
            return connection;
        }

        /** The work finished as intended and left no transaction open: the session may serve the next step. */
        public void keep() {
            keep = true;
        }

        @Override
        public void close() {
            boolean reusable;
            try {
                reusable = keep && clean(connection);
            } catch (SQLException e) {
                reusable = false;
            }
            if (reusable) {
                giveBack(kind, connection);
            } else {
                closeQuietly(connection);
            }
        }
    }
}
