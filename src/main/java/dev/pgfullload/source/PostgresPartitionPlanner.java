package dev.pgfullload.source;

import dev.pgfullload.config.ParallelLoad;
import dev.pgfullload.error.FailureCategory;
import dev.pgfullload.error.FullLoadException;
import dev.pgfullload.schema.Identifiers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Splits a PostgreSQL table into read partitions without the user naming anything: on an integer,
 * numeric or date/time primary key, or else such a column with a unique index of its own and NOT NULL,
 * with ranges balanced by the real key distribution (not min-to-max strides); else, for a partitioned
 * table, one read per partition; else by ranges of
 * heap pages ({@code ctid}, PostgreSQL 14 and later, where such a range is read without a full scan).
 * The first key range also takes the rows whose key is NULL, so none is ever lost.
 */
public final class PostgresPartitionPlanner {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresPartitionPlanner.class);

    /** Rows sampled to place the key boundaries. */
    static final int SAMPLE_ROWS = 30_000;

    private static final Set<String> SPLITTABLE_TYPES = Set.of("smallint", "integer", "bigint", "numeric", "date",
            "timestamp without time zone", "timestamp with time zone");

    private PostgresPartitionPlanner() {
    }

    public static List<ReadPartition> plan(Connection source, SourceTable table, PartitionSizing sizing, ParallelLoad ranges)
            throws SQLException {
        String from = "FROM " + PostgresSourceDialect.from(table);
        if (ranges != null) {
            return givenRanges(from, table, ranges);
        }
        int wanted = sizing.partitions(table.estimatedRows(), table.estimatedBytes());
        if (sizing.capped(table.estimatedRows(), table.estimatedBytes())) {
            LOG.info("{} is read in {} partitions, the most one table gets: each holds about {} rows and {} MB, more than"
                    + " load.rows-per-partition or load.bytes-per-partition asks", table.name(), wanted,
                    table.estimatedRows() / wanted, table.estimatedBytes() / wanted / (1024 * 1024));
        }
        if (wanted <= 1) {
            return List.of(new ReadPartition(from, null));
        }
        SourceColumn key = splitColumn(table);
        if (key == null) {
            key = uniqueColumn(source, table);
        }
        if (key != null) {
            List<String> boundaries = boundaries(source, table, key, wanted);
            if (!boundaries.isEmpty()) {
                return keyRanges(from, key, boundaries);
            }
        }
        if (table.partitioned()) {
            List<String> leaves = new ArrayList<>();
            Set<TableName> parents = new LinkedHashSet<>();
            table.partitions().forEach(partition -> parents.add(partition.parent()));
            for (PartitionSpec partition : table.partitions()) {
                if (!parents.contains(partition.name())) {
                    leaves.add(partition.name().quoted());
                }
            }
            if (!leaves.isEmpty()) {
                List<String> unreadable = unreadable(source, leaves);
                if (unreadable.isEmpty()) {
                    return leafReads(source, leaves, sizing);
                }
                // Reading through the root needs SELECT on the root only; reading a partition directly needs it on the partition.
                LOG.warn("{} is read through its root in one partition: the source user may not read its partitions {}"
                        + " directly (GRANT SELECT on them to have each read on its own)", table.name(), unreadable);
                return List.of(new ReadPartition(from, null));
            }
        }
        if (!table.partitioned() && source.getMetaData().getDatabaseMajorVersion() >= 14) {
            if (unreadable(source, List.of(table.name().quoted())).isEmpty()) {
                return pageRanges(source, table, wanted);
            }
            // A page range names ctid, which SELECT granted column by column does not cover.
            LOG.warn("{} is read in one partition: the source user's SELECT on it is granted column by column, and"
                    + " reading it by page ranges needs SELECT on the table", table.name());
            return List.of(new ReadPartition(from, null));
        }
        LOG.warn("{} is read in one partition: it has no integer, numeric or date/time primary key, nor such a"
                + " NOT NULL column with a unique index, to split on, and page ranges need a PostgreSQL 14 source", table.name());
        return List.of(new ReadPartition(from, null));
    }

    /** The tables, quoted names, that the session's user may not SELECT from as a whole. */
    static List<String> unreadable(Connection source, List<String> names) throws SQLException {
        List<String> unreadable = new ArrayList<>();
        try (PreparedStatement statement = source.prepareStatement(
                "SELECT name FROM unnest(?::text[]) name WHERE NOT pg_catalog.has_table_privilege(name, 'SELECT')")) {
            statement.setArray(1, source.createArrayOf("text", names.toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    unreadable.add(rows.getString(1));
                }
            }
        }
        return unreadable;
    }

    /**
     * DMS-style ranges: {@code (a, b) < (x, y)} row comparisons. A row with a NULL in any of the columns
     * goes to the first partition and to no other: a row comparison decided before it reaches the NULL
     * would otherwise place the same row in a later range as well.
     */
    static List<ReadPartition> givenRanges(String from, SourceTable table, ParallelLoad ranges) {
        List<SourceColumn> columns = new ArrayList<>();
        for (String name : ranges.columns()) {
            columns.add(table.columns().stream().filter(column -> column.name().equals(name)).findFirst()
                    .orElseThrow(() -> new FullLoadException(FailureCategory.CONFIGURATION, "load.parallel-load for "
                            + table.name() + " names column " + name + ", which the table does not have")));
        }
        List<String> bounds = boundaryRows(columns, ranges.boundaries());
        if (bounds.isEmpty()) {
            return List.of(new ReadPartition(from, null));
        }
        String tuple = "ROW(" + String.join(", ", columns.stream().map(column -> Identifiers.quote(column.name())).toList()) + ")";
        String anyNull = String.join(" OR ", columns.stream().map(column -> Identifiers.quote(column.name()) + " IS NULL").toList());
        String noNull = columns.size() == 1 ? "" : "NOT (" + anyNull + ") AND ";
        List<ReadPartition> partitions = new ArrayList<>();
        partitions.add(new ReadPartition(from, "(" + tuple + " < " + bounds.get(0) + " OR " + anyNull + ")"));
        for (int i = 1; i < bounds.size(); i++) {
            partitions.add(new ReadPartition(from, noNull + tuple + " >= " + bounds.get(i - 1) + " AND " + tuple + " < " + bounds.get(i)));
        }
        partitions.add(new ReadPartition(from, noNull + tuple + " >= " + bounds.get(bounds.size() - 1)));
        return partitions;
    }

    /** Each boundary as {@code ROW('value'::type, ...)}, in the columns' own types. */
    static List<String> boundaryRows(List<SourceColumn> columns, List<List<String>> boundaries) {
        return boundaryRows(columns, boundaries, Map.of());
    }

    /** The same, each value also in its column's collation where {@code collations} names one (compared as the column is). */
    static List<String> boundaryRows(List<SourceColumn> columns, List<List<String>> boundaries, Map<String, String> collations) {
        List<String> rows = new ArrayList<>();
        for (List<String> boundary : boundaries) {
            List<String> values = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) {
                String collation = collations.get(columns.get(i).name());
                values.add(Identifiers.literal(boundary.get(i)) + "::" + columns.get(i).typeName()
                        + (collation == null ? "" : " COLLATE " + collation));
            }
            rows.add("ROW(" + String.join(", ", values) + ")");
        }
        return rows;
    }

    /** The collations of the table's collatable columns, by column name, as a COLLATE clause names them. */
    private static Map<String, String> collations(Connection source, SourceTable table) throws SQLException {
        Map<String, String> collations = new HashMap<>();
        try (PreparedStatement statement = source.prepareStatement("SELECT a.attname,"
                + " pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.collname)"
                + " FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_collation c ON c.oid = a.attcollation"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.collnamespace"
                + " WHERE a.attrelid = ?::regclass AND a.attnum > 0 AND NOT a.attisdropped")) {
            statement.setString(1, table.name().quoted());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    collations.put(rows.getString(1), rows.getString(2));
                }
            }
        }
        return collations;
    }

    /**
     * What is wrong with the hand-given ranges of {@code table}, checked on the source before anything is
     * written: a column the table lacks, a value that is no value of its column's type, boundaries
     * that do not ascend (their ranges would overlap and read rows twice). Empty when they are sound.
     */
    public static List<String> rangeProblems(Connection source, SourceTable table, ParallelLoad ranges) throws SQLException {
        List<SourceColumn> columns = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String name : ranges.columns()) {
            table.columns().stream().filter(column -> column.name().equals(name)).findFirst().ifPresentOrElse(columns::add,
                    () -> problems.add("load.parallel-load for " + table.name() + " names column " + name
                            + ", which the table does not have (its columns: "
                            + String.join(", ", table.columns().stream().map(SourceColumn::name).toList()) + ")"));
        }
        if (!problems.isEmpty() || ranges.boundaries().isEmpty()) {
            return problems;
        }
        // Compared in the columns' own collations, as the ranges' conditions compare the columns themselves.
        List<String> bounds = boundaryRows(columns, ranges.boundaries(), collations(source, table));
        StringBuilder sql = new StringBuilder("SELECT ").append(bounds.get(0)).append(" IS NOT NULL");
        for (int i = 1; i < bounds.size(); i++) {
            sql.append(", ").append(bounds.get(i - 1)).append(" < ").append(bounds.get(i));
        }
        // In a subtransaction of its own when the session is in one, so a value that fails to cast leaves it usable.
        boolean savepoint = !source.getAutoCommit();
        Savepoint mark = savepoint ? source.setSavepoint() : null;
        try (Statement statement = source.createStatement(); ResultSet rows = statement.executeQuery(sql.toString())) {
            rows.next();
            for (int i = 1; i < bounds.size(); i++) {
                if (!rows.getBoolean(i + 1)) {
                    problems.add("load.parallel-load for " + table.name() + ": boundary " + (i + 1) + " " + ranges.boundaries().get(i)
                            + " does not come after boundary " + i + " " + ranges.boundaries().get(i - 1)
                            + "; list the boundaries in ascending order, each once, so that no rows are read twice");
                }
            }
        } catch (SQLException e) {
            if (mark != null) {
                source.rollback(mark);
                mark = null;
            }
            String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            boolean dataError = e.getSQLState() != null && e.getSQLState().startsWith("22");
            problems.add("load.parallel-load for " + table.name() + ": " + (dataError
                    ? "its boundaries are no values of the columns " + ranges.columns() + " (" + message + ")"
                    : "its boundaries could not be compared in the columns " + ranges.columns() + " (" + message
                            + "): split on columns whose type has an order"));
        } finally {
            if (mark != null) {
                source.releaseSavepoint(mark);
            }
        }
        return problems;
    }

    static SourceColumn splitColumn(SourceTable table) {
        if (table.primaryKey().size() != 1) {
            return null;
        }
        String name = table.primaryKey().get(0);
        for (SourceColumn column : table.columns()) {
            if (column.name().equals(name) && SPLITTABLE_TYPES.contains(baseType(column))) {
                return column;
            }
        }
        return null;
    }

    /**
     * For a table without a primary key to split on: an integer, numeric or date/time NOT NULL column
     * that a valid unique index covers on its own (no expression, no WHERE clause), or null. Such a
     * column tells the rows apart as a key does, so its ranges split the table as evenly.
     */
    static SourceColumn uniqueColumn(Connection source, SourceTable table) throws SQLException {
        // INCLUDE columns (PostgreSQL 11 and later) are no part of the unique key.
        String keyColumns = source.getMetaData().getDatabaseMajorVersion() >= 11 ? "i.indnkeyatts" : "i.indnatts";
        String sql = "SELECT a.attname FROM pg_catalog.pg_index i"
                + " JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]"
                + " WHERE i.indrelid = ?::regclass AND i.indisunique AND i.indisvalid AND " + keyColumns + " = 1"
                + " AND i.indexprs IS NULL AND i.indpred IS NULL AND a.attnotnull AND NOT a.attisdropped"
                + " ORDER BY i.indexrelid";
        try (PreparedStatement statement = source.prepareStatement(sql)) {
            statement.setString(1, table.name().quoted());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String name = rows.getString(1);
                    for (SourceColumn column : table.columns()) {
                        if (column.name().equals(name) && SPLITTABLE_TYPES.contains(baseType(column))) {
                            LOG.info("{} has no primary key to split on: it is split on {}, which a unique index covers",
                                    table.name(), Identifiers.quote(name));
                            return column;
                        }
                    }
                }
            }
        }
        return null;
    }

    /**
     * Boundaries at the 1/n, 2/n ... quantiles of the key: from the column's histogram in
     * {@code pg_stats} when the table's statistics are fresh, else from a sample of the key.
     */
    private static List<String> boundaries(Connection source, SourceTable table, SourceColumn key, int partitions)
            throws SQLException {
        List<String> histogram = table.partitioned() ? List.of() : freshHistogram(source, table, key);
        if (histogram.size() > partitions) {
            return histogramBoundaries(histogram, partitions, INTEGER_TYPES.contains(baseType(key)));
        }
        return sampledBoundaries(source, table, key, partitions);
    }

    /**
     * Rows changed since the table was last analyzed, as a share of its rows, above which its histogram
     * is not used: new keys past the histogram's end would all fall into the last partition.
     */
    static final double STALE_STATISTICS = 0.05;

    /**
     * The key's histogram bounds, lowest first, when the table was analyzed and has changed by no more
     * than {@link #STALE_STATISTICS} since; empty otherwise. ANALYZE picks its rows at random across
     * the whole table (30,000 of them by default), which places quantiles several times more exactly
     * than a sample of whole pages of the same size, and reading it costs the source nothing.
     */
    static List<String> freshHistogram(Connection source, SourceTable table, SourceColumn key) throws SQLException {
        String sql = "SELECT s.histogram_bounds::text::text[] FROM pg_catalog.pg_stats s"
                + " JOIN pg_catalog.pg_stat_all_tables t ON t.schemaname = s.schemaname AND t.relname = s.tablename"
                + " JOIN pg_catalog.pg_class c ON c.oid = t.relid"
                + " WHERE s.schemaname = ? AND s.tablename = ? AND s.attname = ? AND NOT s.inherited"
                + " AND c.reltuples > 0 AND t.n_mod_since_analyze <= ? * c.reltuples";
        try (PreparedStatement statement = source.prepareStatement(sql)) {
            statement.setString(1, table.name().schema());
            statement.setString(2, table.name().name());
            statement.setString(3, key.name());
            statement.setDouble(4, STALE_STATISTICS);
            return textArray(statement);
        }
    }

    /** The non-NULL elements of the text array in the first column of the statement's first row; empty without one. */
    private static List<String> textArray(PreparedStatement statement) throws SQLException {
        List<String> values = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery()) {
            if (rows.next() && rows.getArray(1) != null) {
                for (Object value : (Object[]) rows.getArray(1).getArray()) {
                    if (value != null) {
                        values.add((String) value);
                    }
                }
            }
        }
        return values;
    }

    /**
     * The 1/n, 2/n ... quantiles of a histogram of equal-count buckets: for an integer key, placed
     * inside their bucket in proportion (a bucket's keys taken as evenly spread); for other keys, the
     * nearest bound.
     */
    static List<String> histogramBoundaries(List<String> histogram, int partitions, boolean integer) {
        Set<String> distinct = new LinkedHashSet<>();
        int buckets = histogram.size() - 1;
        for (int i = 1; i < partitions; i++) {
            double position = (double) i * buckets / partitions;
            int bucket = (int) Math.floor(position);
            if (integer && bucket < buckets) {
                // In decimal: a bucket from near -2^63 to near 2^63 is wider than a long holds.
                BigDecimal low = new BigDecimal(histogram.get(bucket));
                BigDecimal high = new BigDecimal(histogram.get(bucket + 1));
                distinct.add(high.subtract(low).multiply(BigDecimal.valueOf(position - bucket))
                        .setScale(0, RoundingMode.HALF_UP).add(low).toPlainString());
            } else {
                distinct.add(histogram.get((int) Math.round(position)));
            }
        }
        return new ArrayList<>(distinct);
    }

    private static final Set<String> INTEGER_TYPES = Set.of("smallint", "integer", "bigint");

    private static String baseType(SourceColumn column) {
        return column.typeName().toLowerCase(Locale.ROOT).replaceAll("\\(.*\\)", "").trim();
    }

    /** Boundaries at the 1/n, 2/n ... quantiles of a sample of the key. */
    private static List<String> sampledBoundaries(Connection source, SourceTable table, SourceColumn key, int partitions)
            throws SQLException {
        double percent = Math.min(100.0, 100.0 * SAMPLE_ROWS / Math.max(1, table.estimatedRows()));
        Double[] fractions = new Double[partitions - 1];
        for (int i = 1; i < partitions; i++) {
            fractions[i - 1] = (double) i / partitions;
        }
        String column = Identifiers.quote(key.name());
        String sample = percent >= 100.0 ? "" : " TABLESAMPLE SYSTEM (" + String.format(Locale.ROOT, "%.6f", percent) + ")";
        String sql = "SELECT percentile_disc(?::float8[]) WITHIN GROUP (ORDER BY " + column + ")::text[] FROM "
                + PostgresSourceDialect.from(table) + sample;
        try (PreparedStatement statement = source.prepareStatement(sql)) {
            Array array = source.createArrayOf("float8", fractions);
            statement.setArray(1, array);
            return new ArrayList<>(new LinkedHashSet<>(textArray(statement)));
        }
    }

    private static List<ReadPartition> keyRanges(String from, SourceColumn key, List<String> boundaries) {
        String column = Identifiers.quote(key.name());
        List<ReadPartition> partitions = new ArrayList<>();
        String previous = null;
        for (String boundary : boundaries) {
            String upper = column + " < " + Identifiers.literal(boundary) + "::" + key.typeName();
            partitions.add(new ReadPartition(from, previous == null ? "(" + upper + " OR " + column + " IS NULL)"
                    : column + " >= " + previous + " AND " + upper));
            previous = Identifiers.literal(boundary) + "::" + key.typeName();
        }
        partitions.add(new ReadPartition(from, column + " >= " + previous));
        return partitions;
    }

    /**
     * One read per leaf partition; a leaf that alone holds more than the grain is split further into
     * ranges of its pages (PostgreSQL 14 and later), so one big partition (a default one, the current
     * month's) is not read by a single task.
     */
    private static List<ReadPartition> leafReads(Connection source, List<String> leaves, PartitionSizing sizing) throws SQLException {
        boolean pageRanges = source.getMetaData().getDatabaseMajorVersion() >= 14;
        List<ReadPartition> reads = new ArrayList<>();
        try (PreparedStatement statement = source.prepareStatement("SELECT leaf, c.relkind = 'r', GREATEST(c.reltuples, 0)::bigint,"
                + " pg_catalog.pg_table_size(c.oid) FROM unnest(?::text[]) WITH ORDINALITY AS l(leaf, position)"
                + " JOIN pg_catalog.pg_class c ON c.oid = l.leaf::regclass ORDER BY l.position")) {
            statement.setArray(1, source.createArrayOf("text", leaves.toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                List<Object[]> found = new ArrayList<>();
                while (rows.next()) {
                    found.add(new Object[] {rows.getString(1), rows.getBoolean(2), rows.getLong(3), rows.getLong(4)});
                }
                for (Object[] leaf : found) {
                    String name = (String) leaf[0];
                    int wanted = pageRanges && (Boolean) leaf[1] ? sizing.partitions((Long) leaf[2], (Long) leaf[3]) : 1;
                    if (wanted > 1) {
                        reads.addAll(pageRanges(source, name, "FROM ONLY " + name, wanted));
                    } else {
                        reads.add(new ReadPartition("FROM ONLY " + name, null));
                    }
                }
            }
        }
        return reads;
    }

    private static List<ReadPartition> pageRanges(Connection source, SourceTable table, int partitions) throws SQLException {
        return pageRanges(source, table.name().quoted(), "FROM " + PostgresSourceDialect.from(table), partitions);
    }

    /** Ranges of the heap pages of {@code relation} (a quoted name), each read with {@code from} and a ctid condition. */
    private static List<ReadPartition> pageRanges(Connection source, String relation, String from, int partitions) throws SQLException {
        long pages;
        try (Statement statement = source.createStatement();
             ResultSet rows = statement.executeQuery("SELECT pg_catalog.pg_relation_size(" + Identifiers.literal(relation)
                     + "::regclass) / current_setting('block_size')::bigint")) {
            rows.next();
            pages = rows.getLong(1);
        }
        if (pages < partitions) {
            return List.of(new ReadPartition(from, null));
        }
        List<ReadPartition> ranges = new ArrayList<>();
        long step = (pages + partitions - 1) / partitions;
        for (int i = 0; i < partitions; i++) {
            String lower = i == 0 ? null : "ctid >= '(" + i * step + ",0)'::tid";
            // The last range is open, so rows on pages added since the estimate are still read.
            String upper = i == partitions - 1 ? null : "ctid < '(" + (i + 1) * step + ",0)'::tid";
            ranges.add(new ReadPartition(from, lower == null ? upper : upper == null ? lower : lower + " AND " + upper));
        }
        return ranges;
    }
}
