package dev.pgfullload.target;

import dev.pgfullload.config.LoadSettings;
import dev.pgfullload.jdbc.Connections;
import dev.pgfullload.schema.Identifiers;
import dev.pgfullload.schema.TargetColumn;
import dev.pgfullload.schema.TargetTable;
import dev.pgfullload.source.ConstraintSpec;
import dev.pgfullload.source.ForeignKey;
import dev.pgfullload.source.TableName;
import dev.pgfullload.source.UserType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What follows the rows, on the driver: primary keys, unique and exclusion constraints and secondary
 * indexes of the tables pg-fullload created, built once the data is in (faster than maintaining them
 * row by row); sequences set past the loaded maximum; and, once every table is loaded, the foreign keys.
 */
public final class PostLoad {

    private static final Logger LOG = LoggerFactory.getLogger(PostLoad.class);

    private PostLoad() {
    }

    /** Runs after {@code table}'s rows are committed. */
    public static void afterTable(Connection target, TargetTable table, boolean created, LoadSettings settings)
            throws SQLException {
        synchronousCommit(target);
        List<String> statements = new ArrayList<>();
        if (created) {
            // What a resumed run's first attempt already built: one query for the table's own constraints.
            ExistingConstraints existing = ExistingConstraints.of(target, table.name());
            for (TargetTable.TargetConstraint constraint : table.constraints()) {
                boolean primaryKey = constraint.kind() == ConstraintSpec.Kind.PRIMARY_KEY;
                boolean inlinePrimaryKey = primaryKey && constraint.table().equals(table.name()) && !settings.createPkAfterFullLoad();
                if (constraint.inlineCheck(table.name()) || inlinePrimaryKey) {
                    continue;
                }
                boolean notValidCheck = constraint.kind() == ConstraintSpec.Kind.CHECK && !constraint.valid();
                boolean exists = constraint.table().equals(table.name()) ? existing.names().contains(constraint.name())
                        : constraintExists(target, constraint.table(), constraint.name());
                boolean wanted = primaryKey ? settings.createPkAfterFullLoad() || settings.createIndexes()
                        : notValidCheck || settings.createIndexes();
                if (wanted && !exists) {
                    if (notValidCheck) {
                        LOG.warn("Check constraint {} of {} is NOT VALID in the source: it is added after the rows, NOT VALID too,"
                                + " so rows that break it stay as the source has them; run ALTER TABLE {} VALIDATE CONSTRAINT {}"
                                + " once they are fixed", constraint.name(), constraint.table(), constraint.table().quoted(),
                                Identifiers.quote(constraint.name()));
                    }
                    statements.add(TargetSql.addConstraint(constraint.table(), constraint.name(), constraint.definition()));
                }
            }
            boolean hasPrimaryKeyConstraint = table.constraints().stream().anyMatch(constraint ->
                    constraint.kind() == ConstraintSpec.Kind.PRIMARY_KEY && constraint.table().equals(table.name()));
            if (settings.createPkAfterFullLoad() && !hasPrimaryKeyConstraint && !table.primaryKey().isEmpty()
                    && !existing.primaryKey()) {
                statements.add("ALTER TABLE " + table.name().quoted() + " ADD PRIMARY KEY ("
                        + TargetSql.quotedList(table.primaryKey()) + ")");
            }
            if (settings.createIndexes()) {
                // A resumed run may find some already built.
                table.indexes().forEach(index -> statements.add(index.replaceFirst("^CREATE (UNIQUE )?INDEX ", "CREATE $1INDEX IF NOT EXISTS ")));
            }
        }
        if (statements.isEmpty()) {
            makeDurable(target);
        } else {
            // The first statement commits synchronously, and that flushes the partitions' commits with it.
            run(target, statements);
        }
        if (settings.resetSequences()) {
            resetSequences(target, table);
        }
    }

    /**
     * Write sessions commit with {@code synchronous_commit = off}. A transaction that commits
     * synchronously flushes the WAL up to its own commit record, and with it every earlier commit:
     * after this, the table's rows survive a server crash.
     */
    static void makeDurable(Connection target) throws SQLException {
        synchronousCommit(target);
        try (Statement statement = target.createStatement()) {
            statement.execute("SELECT pg_catalog.txid_current()");
        }
    }

    /** The driver's own statements (keys, indexes, sequences) commit synchronously. */
    private static void synchronousCommit(Connection target) throws SQLException {
        try (Statement statement = target.createStatement()) {
            statement.execute("SET synchronous_commit = on");
        }
    }

    /** The foreign keys among the loaded tables whose referencing table pg-fullload created. */
    public static List<String> foreignKeys(Connection target, List<ForeignKey> keys) throws SQLException {
        List<String> statements = new ArrayList<>();
        for (ForeignKey key : keys) {
            if (!constraintExists(target, key.referencing(), key.name())) {
                statements.add(TargetSql.addConstraint(key.referencing(), key.name(), key.definition()));
            }
        }
        run(target, statements);
        return statements;
    }

    /**
     * The CHECK constraints {@code domain} has NOT VALID in the source, added NOT VALID to the target's
     * domain (one it has already is left alone); returns the statements it ran. Called once every table
     * that uses the domain holds its rows: a NOT VALID domain constraint still checks every new value.
     */
    public static List<String> domainConstraints(Connection target, UserType domain) throws SQLException {
        List<String> statements = new ArrayList<>();
        for (UserType.Check check : domain.notValidChecks()) {
            try (PreparedStatement statement = target.prepareStatement("""
                    SELECT 1 FROM pg_catalog.pg_constraint c JOIN pg_catalog.pg_type t ON t.oid = c.contypid
                    JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
                    WHERE n.nspname = ? AND t.typname = ? AND c.conname = ?
                    """)) {
                statement.setString(1, domain.schema());
                statement.setString(2, domain.name());
                statement.setString(3, check.name());
                try (ResultSet rows = statement.executeQuery()) {
                    if (rows.next()) {
                        continue;
                    }
                }
            }
            LOG.warn("Check constraint {} of {} is NOT VALID in the source: it is added after the rows, NOT VALID too, so"
                    + " values that break it stay as the source has them; run ALTER DOMAIN {}.{} VALIDATE CONSTRAINT {} once"
                    + " they are fixed", check.name(), domain, Identifiers.quote(domain.schema()), Identifiers.quote(domain.name()),
                    Identifiers.quote(check.name()));
            statements.add(TargetSql.addDomainConstraint(domain, check));
        }
        run(target, statements);
        return statements;
    }

    private static boolean constraintExists(Connection target, TableName table, String name) throws SQLException {
        try (PreparedStatement statement = target.prepareStatement(
                "SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = ?::regclass AND conname = ?")) {
            statement.setString(1, table.quoted());
            statement.setString(2, name);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** The names of a table's constraints, and whether one of them is its primary key. */
    private record ExistingConstraints(Set<String> names, boolean primaryKey) {

        static ExistingConstraints of(Connection target, TableName table) throws SQLException {
            Set<String> names = new HashSet<>();
            boolean primaryKey = false;
            try (PreparedStatement statement = target.prepareStatement(
                    "SELECT conname, contype = 'p' FROM pg_catalog.pg_constraint WHERE conrelid = ?::regclass")) {
                statement.setString(1, table.quoted());
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        names.add(rows.getString(1));
                        primaryKey |= rows.getBoolean(2);
                    }
                }
            }
            return new ExistingConstraints(names, primaryKey);
        }
    }

    /**
     * Moves each sequence behind a loaded column past the loaded values, so that the next row the
     * application inserts does not take a value already there: to the largest value, within the
     * sequence's bounds, of every column of the table that draws from it (the smallest, for a descending
     * sequence); a value outside its bounds is one the sequence never hands out. A sequence whose next
     * value is already past them is left where it is: it never goes back, as another table may share it.
     */
    private static void resetSequences(Connection target, TargetTable table) throws SQLException {
        List<TargetColumn> columns = table.columns();
        List<String> serial = serialSequences(target, table.name(), columns);
        Map<String, List<String>> columnsOf = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            String sequence = serial.get(i) != null ? serial.get(i) : namedSequence(target, columns.get(i));
            if (sequence != null) {
                columnsOf.computeIfAbsent(sequence, key -> new ArrayList<>()).add(columns.get(i).name());
            }
        }
        for (Map.Entry<String, List<String>> entry : columnsOf.entrySet()) {
            resetSequence(target, table.name(), entry.getKey(), entry.getValue());
        }
    }

    /**
     * Sets {@code sequence} (a quoted name) past the values of {@code columns} it could hand out, in a
     * transaction that holds a lock keyed by the sequence: tables loaded at once that share it take turns.
     */
    private static void resetSequence(Connection target, TableName table, String sequence, List<String> columns) throws SQLException {
        Connections.inTransaction(target, () -> {
            try (Statement statement = target.createStatement()) {
                // Keyed (pg_class, the sequence): no slot of load.max-target-sessions (below 10000) reaches a relation's OID,
                // and run and table locks use the single-key space.
                statement.execute("SELECT pg_catalog.pg_advisory_xact_lock('pg_catalog.pg_class'::regclass::oid::int4, "
                        + Identifiers.literal(sequence) + "::regclass::oid::int4)");
            }
            resetLockedSequence(target, table, sequence, columns);
            return null;
        });
    }

    /**
     * Needs no more than the UPDATE privilege on the sequence (which setval and nextval take): its
     * direction and bounds come from {@code pg_sequence_parameters}, where it stands from a nextval,
     * which leaves a gap of one where the sequence stays.
     */
    private static void resetLockedSequence(Connection target, TableName table, String sequence, List<String> columns)
            throws SQLException {
        BigDecimal increment;
        BigDecimal min;
        BigDecimal max;
        try (Statement statement = target.createStatement(); ResultSet rows = statement.executeQuery(
                "SELECT increment, minimum_value, maximum_value FROM pg_catalog.pg_sequence_parameters("
                        + Identifiers.literal(sequence) + "::regclass)")) {
            rows.next();
            increment = rows.getBigDecimal(1);
            min = rows.getBigDecimal(2);
            max = rows.getBigDecimal(3);
        }
        boolean descending = increment.signum() < 0;
        String extreme = columns.stream().map(column -> (descending ? "min" : "max") + "(CASE WHEN " + Identifiers.quote(column)
                + " BETWEEN " + min.toPlainString() + " AND " + max.toPlainString() + " THEN " + Identifiers.quote(column) + " END)")
                .collect(Collectors.joining(", ", descending ? "least(" : "greatest(", ")"));
        BigDecimal loaded;
        try (Statement statement = target.createStatement();
             ResultSet rows = statement.executeQuery("SELECT " + extreme + "::numeric FROM " + table.quoted())) {
            rows.next();
            loaded = rows.getBigDecimal(1);
        }
        if (loaded == null) {
            return;
        }
        BigDecimal next;
        try (Statement statement = target.createStatement(); ResultSet rows = statement.executeQuery(
                "SELECT pg_catalog.nextval(" + Identifiers.literal(sequence) + "::regclass)")) {
            rows.next();
            next = rows.getBigDecimal(1);
        } catch (SQLException e) {
            if ("2200H".equals(e.getSQLState())) {
                // At its bound already: past every value it could hand out. The failed statement ended the transaction.
                target.rollback();
                return;
            }
            throw e;
        }
        if (descending ? next.compareTo(loaded) >= 0 : next.compareTo(loaded) <= 0) {
            run(target, List.of("SELECT pg_catalog.setval(" + Identifiers.literal(sequence) + "::regclass, " + loaded.toPlainString() + ")"));
        }
    }

    /** Per column, in order, the serial or identity sequence the target gives it, or null: one query for the table. */
    private static List<String> serialSequences(Connection target, TableName table, List<TargetColumn> columns) throws SQLException {
        List<String> sequences = new ArrayList<>();
        try (PreparedStatement statement = target.prepareStatement("SELECT pg_catalog.pg_get_serial_sequence(?, name)"
                + " FROM unnest(?::text[]) WITH ORDINALITY AS c(name, position) ORDER BY position")) {
            statement.setString(1, table.quoted());
            statement.setArray(2, target.createArrayOf("text", columns.stream().map(TargetColumn::name).toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    sequences.add(rows.getString(1));
                }
            }
        }
        return sequences;
    }

    /** The sequence a column's default names, when the target has it. */
    private static String namedSequence(Connection target, TargetColumn column) throws SQLException {
        if (column.sequence() == null) {
            return null;
        }
        try (PreparedStatement statement = target.prepareStatement("SELECT pg_catalog.to_regclass(?)::text")) {
            statement.setString(1, column.sequence().qualifiedName().quoted());
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getString(1) == null ? null : column.sequence().qualifiedName().quoted();
            }
        }
    }

    private static void run(Connection target, List<String> statements) throws SQLException {
        for (String sql : statements) {
            long started = System.nanoTime();
            try (Statement statement = target.createStatement()) {
                statement.execute(sql);
            }
            LOG.info("{} ({} ms)", sql.lines().findFirst().orElse(sql), (System.nanoTime() - started) / 1_000_000);
        }
    }
}
