package dev.pgfullload.source;

import dev.pgfullload.schema.Identifiers;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads enums, domains and composite types, each with the user types it depends on. */
final class PostgresUserTypes {

    private static final String USER_TYPES_SQL = """
            SELECT t.oid, n.nspname, t.typname, t.typtype,
                   CASE t.typtype WHEN 'd' THEN pg_catalog.format_type(t.typbasetype, t.typtypmod) END AS base_type_name,
                   CASE WHEN t.typtype = 'd' THEN
                       (SELECT CASE WHEN b.typcategory = 'A' AND b.typelem <> 0 THEN b.typelem ELSE b.oid END
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
            SELECT c.contypid, pg_catalog.pg_get_constraintdef(c.oid), c.conname, c.convalidated
            FROM pg_catalog.pg_constraint c WHERE c.contypid <> 0 AND c.contype = 'c' ORDER BY c.contypid, c.conname
            """;

    private static final String COMPOSITE_ATTRIBUTES_SQL = """
            SELECT a.attrelid, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod),
                   CASE WHEN t.typcategory = 'A' AND t.typelem <> 0 THEN t.typelem ELSE t.oid END
            FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
            JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
            WHERE c.relkind = 'c' AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attrelid, a.attnum
            """;

    private final Connection connection;
    private final Map<Long, Object[]> rows = new HashMap<>();
    private final Map<Long, List<String>> labels = new HashMap<>();
    private final Map<Long, List<String>> checks = new HashMap<>();
    private final Map<Long, List<UserType.Check>> notValidChecks = new HashMap<>();
    private final Map<Long, List<Object[]>> attributes = new HashMap<>();
    private final Map<Long, UserType> built = new HashMap<>();

    PostgresUserTypes(Connection connection) {
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
                    if (result.getBoolean(4)) {
                        checks.computeIfAbsent(result.getLong(1), key -> new ArrayList<>())
                                .add("CONSTRAINT " + Identifiers.quote(result.getString(3)) + " " + result.getString(2));
                    } else {
                        // "CHECK (...) NOT VALID" is no part of CREATE DOMAIN: it is added after the rows.
                        notValidChecks.computeIfAbsent(result.getLong(1), key -> new ArrayList<>())
                                .add(new UserType.Check(result.getString(3), result.getString(2)));
                    }
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
            types.put(oid, build(oid, new HashSet<>()));
        }
        return types;
    }

    private UserType build(long oid, Set<Long> visiting) {
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
                type = new UserType(UserType.Kind.DOMAIN, schema, name, definition.toString(), dependencies,
                        notValidChecks.getOrDefault(oid, List.of()));
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
