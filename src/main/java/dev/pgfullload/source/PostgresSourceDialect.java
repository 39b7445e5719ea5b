package dev.pgfullload.source;

import dev.pgfullload.config.TableSelection;
import dev.pgfullload.schema.Identifiers;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Discovery and reading for a PostgreSQL source (9.4 and later). */
public final class PostgresSourceDialect implements SourceDialect {

    private static final String TABLES_SQL = """
            SELECT c.oid, n.nspname, c.relname, c.relkind = 'p' AS partitioned,
                   GREATEST(c.reltuples, 0)::bigint AS estimated_rows, pg_table_size(c.oid) AS estimated_bytes
            FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p') AND %s
              AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%%'
            ORDER BY n.nspname, c.relname
            """;

    private static final String PARTITION_ESTIMATE_SQL = """
            SELECT COALESCE(SUM(GREATEST(c.reltuples, 0)), 0)::bigint, COALESCE(SUM(pg_table_size(c.oid)), 0)
            FROM pg_catalog.pg_partition_tree(?::oid) t
            JOIN pg_catalog.pg_class c ON c.oid = t.relid
            WHERE t.isleaf
            """;

    private static final String COLUMNS_SQL = """
            SELECT a.attrelid, a.attname, a.attnum, pg_catalog.format_type(a.atttypid, a.atttypmod) AS type_name,
                   a.attnotnull, t.typname, tn.nspname AS type_schema, t.typtype, t.typcategory,
                   CASE WHEN t.typcategory = 'A' THEN t.typelem ELSE t.oid END AS base_type
            FROM pg_catalog.pg_attribute a
            JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
            JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace
            WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
              AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
            ORDER BY a.attrelid, a.attnum
            """;

    private static final String ENUMS_SQL = """
            SELECT t.oid, n.nspname, t.typname, array_agg(e.enumlabel::text ORDER BY e.enumsortorder)
            FROM pg_catalog.pg_type t
            JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
            JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid
            GROUP BY t.oid, n.nspname, t.typname
            """;

    private static final String PRIMARY_KEYS_SQL = """
            SELECT con.conrelid, a.attname
            FROM pg_catalog.pg_constraint con
            CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, position)
            JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
            WHERE con.contype = 'p'
            ORDER BY con.conrelid, k.position
            """;

    private static final String FOREIGN_KEYS_SQL = """
            SELECT con.conname, rn.nspname, r.relname, fn.nspname, f.relname
            FROM pg_catalog.pg_constraint con
            JOIN pg_catalog.pg_class r ON r.oid = con.conrelid
            JOIN pg_catalog.pg_namespace rn ON rn.oid = r.relnamespace
            JOIN pg_catalog.pg_class f ON f.oid = con.confrelid
            JOIN pg_catalog.pg_namespace fn ON fn.oid = f.relnamespace
            WHERE con.contype = 'f'
            ORDER BY rn.nspname, r.relname, con.conname
            """;

    @Override
    public SourceCatalog discover(Connection connection, TableSelection selection) throws SQLException {
        int version = connection.getMetaData().getDatabaseMajorVersion();
        try (Statement statement = connection.createStatement()) {
            // format_type then qualifies every type outside pg_catalog, so the target resolves the same type.
            statement.execute("SET search_path = pg_catalog");
        }
        // Partitions (PostgreSQL 10 and later) are loaded through their parent, never as tables of their own.
        String notPartition = version >= 10 ? "NOT c.relispartition" : "TRUE";
        Map<Long, TableName> selected = new LinkedHashMap<>();
        Map<Long, long[]> estimates = new HashMap<>();
        Map<Long, Boolean> partitioned = new HashMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(TABLES_SQL.formatted(notPartition))) {
            while (rows.next()) {
                TableName name = new TableName(rows.getString(2), rows.getString(3));
                if (selection.selects(name.schema(), name.name())) {
                    long oid = rows.getLong(1);
                    selected.put(oid, name);
                    partitioned.put(oid, rows.getBoolean(4));
                    estimates.put(oid, new long[] {rows.getLong(5), rows.getLong(6)});
                }
            }
        }
        for (Map.Entry<Long, Boolean> entry : partitioned.entrySet()) {
            if (entry.getValue() && version >= 12) {
                try (PreparedStatement statement = connection.prepareStatement(PARTITION_ESTIMATE_SQL)) {
                    statement.setLong(1, entry.getKey());
                    try (ResultSet rows = statement.executeQuery()) {
                        rows.next();
                        estimates.put(entry.getKey(), new long[] {rows.getLong(1), rows.getLong(2)});
                    }
                }
            }
        }
        Map<Long, UserType> enums = enums(connection);
        Map<Long, List<SourceColumn>> columns = new HashMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(COLUMNS_SQL)) {
            while (rows.next()) {
                long oid = rows.getLong(1);
                if (!selected.containsKey(oid)) {
                    continue;
                }
                UserType userType = enums.get(rows.getLong(10));
                ColumnKind kind = kind(rows.getString(6), rows.getString(7), rows.getString(8));
                columns.computeIfAbsent(oid, key -> new ArrayList<>()).add(new SourceColumn(
                        rows.getString(2), rows.getInt(3), rows.getString(4), kind, rows.getBoolean(5), userType));
            }
        }
        Map<Long, List<String>> primaryKeys = new HashMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(PRIMARY_KEYS_SQL)) {
            while (rows.next()) {
                if (selected.containsKey(rows.getLong(1))) {
                    primaryKeys.computeIfAbsent(rows.getLong(1), key -> new ArrayList<>()).add(rows.getString(2));
                }
            }
        }
        List<SourceTable> tables = new ArrayList<>();
        for (Map.Entry<Long, TableName> entry : selected.entrySet()) {
            long oid = entry.getKey();
            long[] estimate = estimates.get(oid);
            tables.add(new SourceTable(entry.getValue(), columns.getOrDefault(oid, List.of()),
                    primaryKeys.getOrDefault(oid, List.of()), partitioned.get(oid), estimate[0], estimate[1]));
        }
        List<ForeignKey> foreignKeys = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(FOREIGN_KEYS_SQL)) {
            while (rows.next()) {
                foreignKeys.add(new ForeignKey(rows.getString(1), new TableName(rows.getString(2), rows.getString(3)),
                        new TableName(rows.getString(4), rows.getString(5))));
            }
        }
        return new SourceCatalog(tables, foreignKeys);
    }

    private static Map<Long, UserType> enums(Connection connection) throws SQLException {
        Map<Long, UserType> enums = new HashMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(ENUMS_SQL)) {
            while (rows.next()) {
                Array labels = rows.getArray(4);
                enums.put(rows.getLong(1), new UserType(rows.getString(2), rows.getString(3),
                        Arrays.asList((String[]) labels.getArray())));
            }
        }
        return enums;
    }

    static ColumnKind kind(String typeName, String typeSchema, String typeType) {
        if (!"pg_catalog".equals(typeSchema) || !"b".equals(typeType)) {
            return ColumnKind.TEXT_FORM;
        }
        return switch (typeName) {
            case "int2" -> ColumnKind.SMALLINT;
            case "int4" -> ColumnKind.INTEGER;
            case "int8" -> ColumnKind.BIGINT;
            case "bool" -> ColumnKind.BOOLEAN;
            case "float4" -> ColumnKind.REAL;
            case "float8" -> ColumnKind.DOUBLE;
            case "text", "varchar", "bpchar" -> ColumnKind.STRING;
            case "bytea" -> ColumnKind.BINARY;
            case "json", "jsonb" -> ColumnKind.JSON;
            case "money" -> ColumnKind.MONEY;
            default -> ColumnKind.TEXT_FORM;
        };
    }

    @Override
    public String selectExpression(SourceColumn column) {
        String name = Identifiers.quote(column.name());
        return switch (column.kind()) {
            case SMALLINT, INTEGER, BIGINT, BOOLEAN, REAL, DOUBLE, STRING, BINARY -> name;
            case JSON, TEXT_FORM -> name + "::text AS " + name;
            case MONEY -> name + "::numeric::text AS " + name;
        };
    }

    @Override
    public String sessionInitStatement() {
        // Text forms that any PostgreSQL parses back exactly, whatever the source server's defaults.
        return "SET extra_float_digits = 3; SET IntervalStyle = 'postgres'; SET bytea_output = 'hex'";
    }
}
