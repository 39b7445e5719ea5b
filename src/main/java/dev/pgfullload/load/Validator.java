package dev.pgfullload.load;

import dev.pgfullload.config.ConnectionSettings;
import dev.pgfullload.config.PrepMode;
import dev.pgfullload.config.Settings;
import dev.pgfullload.config.ValidationMode;
import dev.pgfullload.error.FailureCategory;
import dev.pgfullload.error.FullLoadException;
import dev.pgfullload.jdbc.SessionPool;
import dev.pgfullload.schema.Identifiers;
import dev.pgfullload.schema.TargetColumn;
import dev.pgfullload.schema.TargetTable;
import dev.pgfullload.source.ColumnKind;
import dev.pgfullload.source.SourceColumn;
import dev.pgfullload.source.SourceDialect;
import dev.pgfullload.source.ReadPartition;
import dev.pgfullload.source.TableName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

import static java.util.Objects.requireNonNull;

/**
 * Checks a loaded table against its source ({@code validation.mode}): COUNT compares row counts;
 * CHECKSUM also compares an order-independent checksum of every row (the sum of a 60-bit prefix of
 * each row's md5), computed by each server over its own rows, so no row travels twice.
 */
public final class Validator {

    private static final Logger LOG = LoggerFactory.getLogger(Validator.class);

    /** Sessions render values the same way on both sides: zone, float digits, date, interval and bytea forms. */
    static final String SESSION = "SET TimeZone = 'UTC'; SET extra_float_digits = 3; SET DateStyle = 'ISO, YMD';"
            + " SET IntervalStyle = 'postgres'; SET bytea_output = 'hex'";

    /** The source sides of checks: daemon threads, so a run that ends never waits on one it no longer needs. */
    private static final Executor SOURCE_SIDE = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "pg-fullload-validation");
        thread.setDaemon(true);
        return thread;
    });

    private final Settings settings;
    private final String snapshot;
    private final ConnectionSettings source;

    public Validator(Settings settings) {
        this(settings, null);
    }

    /** @param snapshot the run's source snapshot the tables were read in, for the source's counts to see the same rows; or null */
    public Validator(Settings settings, String snapshot) {
        this(settings, snapshot, settings.source());
    }

    /** @param source the source's settings for sessions that join {@code snapshot}: on the server that exported it */
    public Validator(Settings settings, String snapshot, ConnectionSettings source) {
        this.settings = requireNonNull(settings, "settings is null");
        this.snapshot = snapshot;
        this.source = requireNonNull(source, "source is null");
    }

    /**
     * Starts the source side of the check on a session of its own, so it runs while the target builds
     * the table's keys and indexes; null when validation is off.
     */
    public CompletableFuture<long[]> startSourceSide(TargetTable table) {
        ValidationMode mode = settings.validationMode();
        if (mode == ValidationMode.NONE) {
            return null;
        }
        return CompletableFuture.supplyAsync(() -> {
            try (SessionPool.Session source = SessionPool.borrow(this.source, "source", "pg-fullload validation",
                    "validate", null)) {
                long[] measured;
                try {
                    boolean joined = joinSnapshot(source.connection());
                    measured = measure(source.connection(), sourceRelation(table), sourceExpressions(table), mode);
                    leaveSnapshot(source.connection(), joined);
                } catch (SQLException e) {
                    FullLoadException explained = sourceCountFailure(table, source.connection(), e);
                    if (explained != null) {
                        throw explained;
                    }
                    throw e;
                }
                source.keep();
                return measured;
            } catch (SQLException e) {
                throw new CompletionException(e);
            }
        }, SOURCE_SIDE);
    }

    /**
     * The source's count could not run: it gave up on a table lock ({@code source.lock-timeout}), or the
     * load's snapshot had ended. The rows are loaded either way; a run with the same run id validates
     * them. Null for any other failure.
     */
    private FullLoadException sourceCountFailure(TargetTable table, Connection session, SQLException failure) {
        String why;
        if (SourceDialect.endedSnapshot(failure)) {
            why = SourceDialect.endedSnapshotMessage(failure) + "; the rows are loaded: run the load again with the same run id"
                    + " to validate them";
        } else if ("55P03".equals(failure.getSQLState())) {
            why = "the count " + SourceDialect.lockWait(source.lockTimeoutMillis(),
                    SourceDialect.forUrl(source.url()).exclusiveLockHolders(session)) + "; the rows are loaded: once that"
                    + " statement has ended, run the load again with the same run id to validate them";
        } else {
            return null;
        }
        FullLoadException explained = new FullLoadException(FailureCategory.VERIFY, "cannot count the rows of "
                + table.source().name() + " on the source for validation: " + why);
        explained.addSuppressed(failure);
        return explained;
    }

    /** As {@link #validate(Connection, TargetTable, boolean, long, long, CompletableFuture)}, measuring the source now. */
    public String validate(Connection target, TargetTable table, boolean created, long rowsWritten, long rejected)
            throws SQLException {
        return validate(target, table, created, rowsWritten, rejected, startSourceSide(table));
    }

    /**
     * @param created the run created the table, so it holds the loaded rows and nothing else
     * @param rowsWritten rows this run committed into the table
     * @param rejected rows the target refused, kept in the rejects table (errors.data-error-policy = LOG_ERROR)
     * @param source what {@link #startSourceSide} started for this table
     * @return what was checked, for the report; null when validation is off
     * @throws FullLoadException (category VERIFY) on a mismatch
     */
    public String validate(Connection target, TargetTable table, boolean created, long rowsWritten, long rejected,
                           CompletableFuture<long[]> source) throws SQLException {
        return validate(target, table, created, rowsWritten, rejected, source, (TableLoader.PlanStore) null);
    }

    /**
     * As above; with {@code plans}, where the table's read plan is kept, a mismatch on a table read in
     * key ranges also names the ranges where source and target differ (the plan is read only then).
     */
    public String validate(Connection target, TargetTable table, boolean created, long rowsWritten, long rejected,
                           CompletableFuture<long[]> source, TableLoader.PlanStore plans) throws SQLException {
        ValidationMode mode = settings.validationMode();
        if (mode == ValidationMode.NONE || source == null) {
            return null;
        }
        boolean kept = !created && settings.load().targetTablePrepMode() == PrepMode.DO_NOTHING;
        // DO_NOTHING needs no more than INSERT on a kept table: without SELECT, its rows are not read back.
        long[] targetSide = kept && !readable(target, table) ? null
                : measure(target, targetRelation(target, table), targetExpressions(table), mode);
        // A DO_NOTHING table that kept rows of its own holds more than this run committed: what this run added is
        // what its partitions committed, and no checksum can tell them apart. One that was empty holds only the load's.
        boolean onlyLoadedRows = !kept || (targetSide != null && targetSide[0] <= rowsWritten);
        long targetRows = onlyLoadedRows ? targetSide[0] : rowsWritten;
        long[] sourceSide = sourceSide(source);
        if (sourceSide[0] != targetRows + rejected) {
            throw new FullLoadException(FailureCategory.VERIFY, "validation failed: the source has " + sourceSide[0]
                    + " rows, the target " + (onlyLoadedRows ? "has " : "received ") + targetRows
                    + (rejected == 0 ? "" : " and refused " + rejected)
                    + (onlyLoadedRows && rejected == 0 ? differingRanges(target, table, plans) : ""));
        }
        if (rejected > 0) {
            return "row count checked (" + targetRows + " loaded + " + rejected + " refused = " + sourceSide[0] + ")";
        }
        if (mode == ValidationMode.CHECKSUM) {
            if (!onlyLoadedRows) {
                return "row count checked (" + targetRows + "); no checksum: " + (targetSide == null
                        ? "the target user may not read the table (DO_NOTHING needs only INSERT on it)"
                        : "the table kept rows it had before the load");
            }
            if (sourceSide[1] != targetSide[1]) {
                throw new FullLoadException(FailureCategory.VERIFY, "validation failed: the checksum of the rows differs"
                        + " (source " + Long.toHexString(sourceSide[1]) + ", target " + Long.toHexString(targetSide[1])
                        + ") though both have " + targetRows + " rows: a row differs" + differingRanges(target, table, plans));
            }
            return "rows and checksum match (" + targetRows + " rows)";
        }
        return "row count matches (" + targetRows + ")";
    }

    private static long[] sourceSide(CompletableFuture<long[]> source) throws SQLException {
        try {
            return source.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof SQLException failure) {
                throw failure;
            }
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw e;
        }
    }

    /** Rows that break a foreign key: the constraint, the referencing and referenced tables, and how many. */
    public record ForeignKeyViolation(String constraint, TableName table, TableName referenced, long rows) {
    }

    private static final String TARGET_FOREIGN_KEYS_SQL = """
            SELECT con.conname, rn.nspname, r.relname, fn.nspname, f.relname,
                   (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY k(num, ord)
                    JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num),
                   (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(con.confkey) WITH ORDINALITY k(num, ord)
                    JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num)
            FROM pg_catalog.pg_constraint con
            JOIN pg_catalog.pg_class r ON r.oid = con.conrelid JOIN pg_catalog.pg_namespace rn ON rn.oid = r.relnamespace
            JOIN pg_catalog.pg_class f ON f.oid = con.confrelid JOIN pg_catalog.pg_namespace fn ON fn.oid = f.relnamespace
            WHERE con.contype = 'f' AND %s
            ORDER BY rn.nspname, r.relname, con.conname
            """;

    /**
     * After a load that bypassed foreign keys: for each foreign key between loaded tables, the rows of
     * the referencing table whose key (all columns set, MATCH SIMPLE) has no referenced row.
     */
    public static List<ForeignKeyViolation> foreignKeyViolations(Connection target, java.util.Set<TableName> loaded)
            throws SQLException {
        List<ForeignKeyViolation> violations = new ArrayList<>();
        List<Object[]> keys = targetForeignKeys(target, loaded);
        for (Object[] key : keys) {
            String[] columns = (String[]) key[3];
            String[] referencedColumns = (String[]) key[4];
            List<String> set = new ArrayList<>();
            List<String> match = new ArrayList<>();
            for (int i = 0; i < columns.length; i++) {
                set.add("c." + Identifiers.quote(columns[i]) + " IS NOT NULL");
                match.add("p." + Identifiers.quote(referencedColumns[i]) + " = c." + Identifiers.quote(columns[i]));
            }
            String sql = "SELECT count(*) FROM " + ((TableName) key[1]).quoted() + " c WHERE " + String.join(" AND ", set)
                    + " AND NOT EXISTS (SELECT 1 FROM " + ((TableName) key[2]).quoted() + " p WHERE " + String.join(" AND ", match) + ")";
            try (Statement statement = target.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
                rows.next();
                if (rows.getLong(1) > 0) {
                    violations.add(new ForeignKeyViolation((String) key[0], (TableName) key[1], (TableName) key[2], rows.getLong(1)));
                }
            }
        }
        return violations;
    }

    /** The target's foreign keys between {@code tables}, as links (name, referencing and referenced table). */
    public static List<dev.pgfullload.source.ForeignKey> foreignKeysBetween(Connection target, java.util.Set<TableName> tables)
            throws SQLException {
        List<dev.pgfullload.source.ForeignKey> links = new ArrayList<>();
        for (Object[] key : targetForeignKeys(target, tables)) {
            links.add(new dev.pgfullload.source.ForeignKey((String) key[0], (TableName) key[1], (TableName) key[2]));
        }
        return links;
    }

    /** The target's foreign keys whose two tables are both in {@code tables}: name, table, referenced table, their columns. */
    private static List<Object[]> targetForeignKeys(Connection target, java.util.Set<TableName> tables) throws SQLException {
        List<Object[]> keys = new ArrayList<>();
        // A foreign key on a partitioned table has copies on its partitions (PostgreSQL 11 and later): count it once.
        String own = target.getMetaData().getDatabaseMajorVersion() >= 11 ? "con.conparentid = 0" : "TRUE";
        try (Statement statement = target.createStatement();
             ResultSet rows = statement.executeQuery(TARGET_FOREIGN_KEYS_SQL.formatted(own))) {
            while (rows.next()) {
                TableName table = new TableName(rows.getString(2), rows.getString(3));
                TableName referenced = new TableName(rows.getString(4), rows.getString(5));
                if (tables.contains(table) && tables.contains(referenced)) {
                    keys.add(new Object[] {rows.getString(1), table, referenced, (String[]) rows.getArray(6).getArray(),
                            (String[]) rows.getArray(7).getArray()});
                }
            }
        }
        return keys;
    }

    /** Begins a transaction in the run's snapshot on a source session (in autocommit); false when there is none. */
    private boolean joinSnapshot(Connection source) throws SQLException {
        String statement = snapshot == null ? null : SourceDialect.forUrl(settings.source().url()).snapshotStatement(snapshot, true);
        if (statement == null) {
            return false;
        }
        source.setAutoCommit(false);
        try (Statement join = source.createStatement()) {
            join.execute(statement);
        }
        return true;
    }

    /** Ends the transaction {@link #joinSnapshot} began, so the session goes back to its pool as it came. */
    private static void leaveSnapshot(Connection source, boolean joined) throws SQLException {
        if (joined) {
            source.rollback();
            source.setAutoCommit(true);
        }
    }

    /**
     * What the target's side counts: the table; without its children by inheritance when the source's
     * were counted without theirs (a target made with the same hierarchy holds their rows in them).
     */
    private static boolean readable(Connection target, TargetTable table) throws SQLException {
        try (PreparedStatement statement = target.prepareStatement("SELECT pg_catalog.has_table_privilege(?, 'SELECT')")) {
            statement.setString(1, table.name().quoted());
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() && rows.getBoolean(1);
            }
        }
    }

    private static String targetRelation(Connection target, TargetTable table) throws SQLException {
        String quoted = table.name().quoted();
        if (table.source().children().selected().isEmpty()) {
            return quoted;
        }
        try (PreparedStatement statement = target.prepareStatement(
                "SELECT relkind = 'r' FROM pg_catalog.pg_class WHERE oid = ?::regclass")) {
            statement.setString(1, quoted);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() && rows.getBoolean(1) ? "ONLY " + quoted : quoted;
            }
        }
    }

    /** What the source's side reads: the table's own rows, as the load reads them. */
    private String sourceRelation(TargetTable table) {
        return SourceDialect.forUrl(settings.source().url()).relation(table.source());
    }

    /** Count and, for CHECKSUM, the checksum of {@code ROW(expressions)} over the relation (a FROM item). */
    static long[] measure(Connection connection, String relation, List<String> expressions, ValidationMode mode)
            throws SQLException {
        String sql = "SELECT count(*), " + (mode == ValidationMode.CHECKSUM ? checksum(expressions) : "0") + " FROM " + relation;
        try (Statement statement = connection.createStatement()) {
            sameRendering(statement);
            try (ResultSet rows = statement.executeQuery(sql)) {
                rows.next();
                return new long[] {rows.getLong(1), rows.getLong(2)};
            }
        }
    }

    /** The order-independent checksum of {@code ROW(expressions)}: up to 2^60 per row, summed in numeric, reduced to a bigint. */
    private static String checksum(List<String> expressions) {
        // The row's text in UTF8 whatever the database's encoding, so both sides hash the same bytes for the same characters.
        return "(coalesce(sum(('x' || substr(md5(convert_to(ROW(" + String.join(", ", expressions)
                + ")::text, 'UTF8')), 1, 15))::bit(60)::bigint::numeric), 0) % 9223372036854775807)::bigint";
    }

    private static void sameRendering(Statement statement) throws SQLException {
        for (String set : SESSION.split("; ")) {
            statement.execute(set);
        }
    }

    /**
     * After a mismatch on a table read in key ranges: count and checksum each range on both sides, in
     * one scan per side, and name the ranges that differ ("" when the plan has no key ranges, or when
     * the breakdown itself fails: the mismatch is reported all the same).
     */
    private String differingRanges(Connection target, TargetTable table, TableLoader.PlanStore plans) {
        List<ReadPartition> plan;
        try {
            plan = plans == null ? null : plans.recorded(table);
        } catch (SQLException e) {
            LOG.warn("{}: could not read the table's read plan: {}", table.name(), e.getMessage());
            return "";
        }
        if (plan == null || plan.size() < 2 || plan.stream().anyMatch(partition -> partition.where() == null
                || partition.where().contains("ctid") || !partition.from().equals(plan.get(0).from()))) {
            return "";
        }
        List<String> sourceRanges = plan.stream().map(ReadPartition::where).toList();
        List<String> targetRanges = sourceRanges.stream().map(settings.identifierCase()::rewrite).toList();
        try (SessionPool.Session source = SessionPool.borrow(this.source, "source", "pg-fullload validation",
                "validate", null)) {
            boolean joined = joinSnapshot(source.connection());
            Map<Integer, long[]> sourceSide = byRange(source.connection(), sourceRelation(table), sourceExpressions(table),
                    sourceRanges);
            leaveSnapshot(source.connection(), joined);
            source.keep();
            Map<Integer, long[]> targetSide = byRange(target, targetRelation(target, table), targetExpressions(table), targetRanges);
            List<String> differing = new ArrayList<>();
            for (int range = -1; range < plan.size(); range++) {
                long[] left = sourceSide.getOrDefault(range, new long[2]);
                long[] right = targetSide.getOrDefault(range, new long[2]);
                if (left[0] != right[0] || left[1] != right[1]) {
                    String where = range < 0 ? "rows outside every key range" : "key range " + range + " (" + sourceRanges.get(range) + ")";
                    differing.add(where + ": source " + left[0] + " rows, target " + right[0] + (left[0] == right[0] ? ", checksums differ" : ""));
                }
            }
            if (differing.isEmpty()) {
                return "";
            }
            return "; it differs in " + String.join("; ", differing.subList(0, Math.min(3, differing.size())))
                    + (differing.size() > 3 ? "; and " + (differing.size() - 3) + " more key ranges" : "");
        } catch (SQLException | RuntimeException e) {
            LOG.warn("{}: could not compare the key ranges one by one: {}", table.name(), e.getMessage());
            return "";
        }
    }

    /** Count and checksum of each range (its index; -1 for rows in none) in one scan. */
    private static Map<Integer, long[]> byRange(Connection connection, String relation, List<String> expressions, List<String> ranges)
            throws SQLException {
        StringBuilder range = new StringBuilder("CASE");
        for (int i = 0; i < ranges.size(); i++) {
            range.append(" WHEN (").append(ranges.get(i)).append(") THEN ").append(i);
        }
        range.append(" ELSE -1 END");
        Map<Integer, long[]> measured = new HashMap<>();
        try (Statement statement = connection.createStatement()) {
            sameRendering(statement);
            try (ResultSet rows = statement.executeQuery("SELECT " + range + ", count(*), " + checksum(expressions) + " FROM "
                    + relation + " GROUP BY 1")) {
                while (rows.next()) {
                    measured.put(rows.getInt(1), new long[] {rows.getLong(2), rows.getLong(3)});
                }
            }
        }
        return measured;
    }

    /** Source columns as the target holds them: json read as text where it became text, money through numeric. */
    static List<String> sourceExpressions(TargetTable table) {
        List<String> expressions = new ArrayList<>();
        for (TargetColumn column : table.columns()) {
            if (column.generated()) {
                continue;
            }
            SourceColumn source = table.source().columns().stream().filter(candidate -> candidate.name().equals(column.sourceName()))
                    .findFirst().orElseThrow();
            String name = Identifiers.quote(source.name());
            expressions.add(column.typeChanged() ? name + "::text" : source.kind() == ColumnKind.MONEY ? name + "::numeric" : name);
        }
        return expressions;
    }

    static List<String> targetExpressions(TargetTable table) {
        List<String> expressions = new ArrayList<>();
        for (TargetColumn column : table.columns()) {
            if (!column.generated()) {
                expressions.add(Identifiers.quote(column.name()) + (column.kind() == ColumnKind.MONEY ? "::numeric" : ""));
            }
        }
        return expressions;
    }
}
