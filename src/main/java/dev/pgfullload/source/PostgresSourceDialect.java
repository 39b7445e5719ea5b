package dev.pgfullload.source;

import dev.pgfullload.config.TableSelection;
import dev.pgfullload.schema.Identifiers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
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

    private static final String USER_TYPES_SQL = """
            SELECT t.oid, n.nspname, t.typname, t.typtype,
                   CASE t.typtype WHEN 'd' THEN pg_catalog.format_type(t.typbasetype, t.typtypmod) END AS base_type_name,
                   CASE WHEN t.typtype = 'd' THEN
                       (SELECT CASE WHEN b.typcategory = 'A' THEN b.typelem ELSE b.oid END
                        FROM pg_catalog.pg_type b WHERE b.oid = t.typbasetype) END AS base_type,
                   t.typnotnull, t.typdefault,
                   CASE WHEN t.typtype = 'd' AND t.typcollation <> 0 AND t.typcollation <> b0.typcollation THEN
                       (SELECT quote_ident(cn.nspname) || '.' || quote_ident(co.collname) FROM pg_catalog.pg_collation co
                        JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = t.typcollation) END AS collation,
                   t.typrelid
            FROM pg_catalog.pg_type t
            JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
            LEFT JOIN pg_catalog.pg_type b0 ON b0.oid = t.typbasetype
            LEFT JOIN pg_catalog.pg_class r ON r.oid = t.typrelid
            WHERE (t.typtype IN ('e', 'd') OR (t.typtype = 'c' AND r.relkind = 'c'))
              AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
            """;

    private static final String ENUM_LABELS_SQL = """
            SELECT e.enumtypid, e.enumlabel::text FROM pg_catalog.pg_enum e ORDER BY e.enumtypid, e.enumsortorder
            """;

    private static final String DOMAIN_CHECKS_SQL = """
            SELECT c.contypid, pg_catalog.pg_get_constraintdef(c.oid), c.conname
            FROM pg_catalog.pg_constraint c WHERE c.contypid <> 0 AND c.contype = 'c' ORDER BY c.contypid, c.conname
            """;

    private static final String COMPOSITE_ATTRIBUTES_SQL = """
            SELECT a.attrelid, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod),
                   CASE WHEN t.typcategory = 'A' THEN t.typelem ELSE t.oid END
            FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
            JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
            WHERE c.relkind = 'c' AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attrelid, a.attnum
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
        Map<Long, UserType> userTypes = new UserTypeReader(connection).read();
        Map<Long, List<SourceColumn>> columns = new HashMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(COLUMNS_SQL)) {
            while (rows.next()) {
                long oid = rows.getLong(1);
                if (!selected.containsKey(oid)) {
                    continue;
                }
                UserType userType = userTypes.get(rows.getLong(10));
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

    /** Reads enums, domains and composite types, each with the user types it depends on. */
    private static final class UserTypeReader {

        private final Connection connection;
        private final Map<Long, Object[]> rows = new HashMap<>();
        private final Map<Long, List<String>> labels = new HashMap<>();
        private final Map<Long, List<String>> checks = new HashMap<>();
        private final Map<Long, List<Object[]>> attributes = new HashMap<>();
        private final Map<Long, UserType> built = new HashMap<>();

        UserTypeReader(Connection connection) {
            this.connection = connection;
        }

        Map<Long, UserType> read() throws SQLException {
            try (Statement statement = connection.createStatement()) {
                try (ResultSet result = statement.executeQuery(USER_TYPES_SQL)) {
                    while (result.next()) {
                        rows.put(result.getLong(1), new Object[] {result.getString(2), result.getString(3), result.getString(4),
                                result.getString(5), result.getObject(6) == null ? null : result.getLong(6),
                                result.getBoolean(7), result.getString(8), result.getString(9), result.getLong(10)});
                    }
                }
                try (ResultSet result = statement.executeQuery(ENUM_LABELS_SQL)) {
                    while (result.next()) {
                        labels.computeIfAbsent(result.getLong(1), key -> new ArrayList<>()).add(result.getString(2));
                    }
                }
                try (ResultSet result = statement.executeQuery(DOMAIN_CHECKS_SQL)) {
                    while (result.next()) {
                        checks.computeIfAbsent(result.getLong(1), key -> new ArrayList<>())
                                .add("CONSTRAINT " + Identifiers.quote(result.getString(3)) + " " + result.getString(2));
                    }
                }
                try (ResultSet result = statement.executeQuery(COMPOSITE_ATTRIBUTES_SQL)) {
                    while (result.next()) {
                        attributes.computeIfAbsent(result.getLong(1), key -> new ArrayList<>()).add(new Object[] {
                                result.getString(2), result.getString(3), result.getLong(4)});
                    }
                }
            }
            Map<Long, UserType> types = new HashMap<>();
            for (Long oid : rows.keySet()) {
                types.put(oid, build(oid, new java.util.HashSet<>()));
            }
            return types;
        }

        private UserType build(long oid, java.util.Set<Long> visiting) {
            UserType done = built.get(oid);
            if (done != null) {
                return done;
            }
            if (!visiting.add(oid)) {
                throw new IllegalStateException("user type " + oid + " depends on itself");
            }
            Object[] row = rows.get(oid);
            String schema = (String) row[0];
            String name = (String) row[1];
            List<UserType> dependencies = new ArrayList<>();
            UserType type;
            switch ((String) row[2]) {
                case "e" -> type = new UserType(UserType.Kind.ENUM, schema, name, "AS ENUM ("
                        + String.join(", ", labels.getOrDefault(oid, List.of()).stream().map(Identifiers::literal).toList())
                        + ")", List.of());
                case "d" -> {
                    Long base = (Long) row[4];
                    if (base != null && rows.containsKey(base)) {
                        dependencies.add(build(base, visiting));
                    }
                    StringBuilder definition = new StringBuilder("AS ").append((String) row[3]);
                    if (row[7] != null) {
                        definition.append(" COLLATE ").append((String) row[7]);
                    }
                    if (row[6] != null) {
                        definition.append(" DEFAULT ").append((String) row[6]);
                    }
                    if ((Boolean) row[5]) {
                        definition.append(" NOT NULL");
                    }
                    for (String check : checks.getOrDefault(oid, List.of())) {
                        definition.append(' ').append(check);
                    }
                    type = new UserType(UserType.Kind.DOMAIN, schema, name, definition.toString(), dependencies);
                }
                default -> {
                    List<String> fields = new ArrayList<>();
                    for (Object[] attribute : attributes.getOrDefault((Long) row[8], List.of())) {
                        fields.add(Identifiers.quote((String) attribute[0]) + " " + attribute[1]);
                        long attributeType = (Long) attribute[2];
                        if (rows.containsKey(attributeType)) {
                            dependencies.add(build(attributeType, visiting));
                        }
                    }
                    type = new UserType(UserType.Kind.COMPOSITE, schema, name, "AS (" + String.join(", ", fields) + ")",
                            dependencies);
                }
            }
            visiting.remove(oid);
            built.put(oid, type);
            return type;
        }
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
