package dev.pgfullload.target;

import dev.pgfullload.config.LoadSettings;
import dev.pgfullload.schema.Identifiers;
import dev.pgfullload.schema.TargetColumn;
import dev.pgfullload.schema.TargetTable;
import dev.pgfullload.source.ConstraintSpec;
import dev.pgfullload.source.ForeignKey;
import dev.pgfullload.source.TableName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * What follows the rows, on the driver: primary keys, unique and exclusion constraints and secondary
 * indexes of the tables pg-fullload created, built once the data is in (faster than maintaining them
 * row by row); sequences set past the loaded maximum; and, once every table is loaded, the foreign keys.
 */
public final class PostLoad {

    private static final Logger LOG = LoggerFactory.getLogger(PostLoad.class);

    private PostLoad() {
    }

    /** Runs after {@code table}'s rows are committed; returns the statements it ran. */
    public static List<String> afterTable(Connection target, TargetTable table, boolean created, LoadSettings settings)
            throws SQLException {
        synchronousCommit(target);
        List<String> statements = new ArrayList<>();
        if (created) {
            for (TargetTable.TargetConstraint constraint : table.constraints()) {
                boolean primaryKey = constraint.kind() == ConstraintSpec.Kind.PRIMARY_KEY;
                boolean ownCheck = constraint.kind() == ConstraintSpec.Kind.CHECK && constraint.table().equals(table.name());
                boolean inlinePrimaryKey = primaryKey && constraint.table().equals(table.name()) && !settings.createPkAfterFullLoad();
                if (ownCheck || inlinePrimaryKey) {
                    continue;
                }
                if ((primaryKey ? settings.createPkAfterFullLoad() || settings.createIndexes() : settings.createIndexes())
                        && !constraintExists(target, constraint.table(), constraint.name())) {
                    statements.add(TargetSql.addConstraint(constraint.table(), constraint.name(), constraint.definition()));
                }
            }
            boolean hasPrimaryKeyConstraint = table.constraints().stream().anyMatch(constraint ->
                    constraint.kind() == ConstraintSpec.Kind.PRIMARY_KEY && constraint.table().equals(table.name()));
            if (settings.createPkAfterFullLoad() && !hasPrimaryKeyConstraint && !table.primaryKey().isEmpty()
                    && !primaryKeyExists(target, table.name())) {
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
            statements.addAll(resetSequences(target, table));
        }
        return statements;
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

    private static boolean primaryKeyExists(Connection target, TableName table) throws SQLException {
        try (PreparedStatement statement = target.prepareStatement(
                "SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = ?::regclass AND contype = 'p'")) {
            statement.setString(1, table.quoted());
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static List<String> resetSequences(Connection target, TargetTable table) throws SQLException {
        List<String> statements = new ArrayList<>();
        for (TargetColumn column : table.columns()) {
            String sequence = serialSequence(target, table.name(), column);
            if (sequence != null) {
                String statement = TargetSql.resetSequence(Identifiers.literal(sequence), table.name(), column.name());
                try (Statement reset = target.createStatement()) {
                    reset.execute(statement);
                }
                statements.add(statement);
            }
        }
        return statements;
    }

    /** The sequence the target uses for the column: its own serial or identity sequence, or the one its default names. */
    private static String serialSequence(Connection target, TableName table, TargetColumn column) throws SQLException {
        try (PreparedStatement statement = target.prepareStatement("SELECT pg_catalog.pg_get_serial_sequence(?, ?)")) {
            statement.setString(1, table.quoted());
            statement.setString(2, column.name());
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                if (rows.getString(1) != null) {
                    return rows.getString(1);
                }
            }
        }
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
