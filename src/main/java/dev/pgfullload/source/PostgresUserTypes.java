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

/** Reads enums, domains, composite and range types, each with the user types it depends on. */
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
            WHERE (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND r.relkind = 'c'))
              AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
            """;

    private static final String ENUM_LABELS_SQL = """
            SELECT e.enumtypid, e.enumlabel::text FROM pg_catalog.pg_enum e ORDER BY e.enumtypid, e.enumsortorder
            """;

    private static final String DOMAIN_CHECKS_SQL = """
            SELECT c.contypid, pg_catalog.pg_get_constraintdef(c.oid), c.conname, c.convalidated
            FROM pg_catalog.pg_constraint c WHERE c.contypid <> 0 AND c.contype = 'c' ORDER BY c.contypid, c.conname
            """;

    /**
     * Range types: the subtype, an operator class or collation other than the subtype's default, the
     * canonical and subtype-difference functions, and the multirange type (PostgreSQL 14 and later).
     */
    private static final String RANGES_SQL = """
            SELECT r.rngtypid, pg_catalog.format_type(r.rngsubtype, NULL),
                   CASE WHEN s.typcategory = 'A' AND s.typelem <> 0 THEN s.typelem ELSE s.oid END,
                   CASE WHEN NOT opc.opcdefault THEN quote_ident(opn.nspname) || '.' || quote_ident(opc.opcname) END,
                   CASE WHEN r.rngcollation <> 0 AND r.rngcollation <> s.typcollation THEN
                       (SELECT quote_ident(cn.nspname) || '.' || quote_ident(co.collname) FROM pg_catalog.pg_collation co
                        JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = r.rngcollation) END,
                   cpn.nspname, cp.proname,
                   ARRAY(SELECT pg_catalog.format_type(u.arg, NULL)
                         FROM unnest(cp.proargtypes::pg_catalog.oid[]) WITH ORDINALITY AS u(arg, position) ORDER BY u.position),
                   dpn.nspname, dp.proname,
                   ARRAY(SELECT pg_catalog.format_type(u.arg, NULL)
                         FROM unnest(dp.proargtypes::pg_catalog.oid[]) WITH ORDINALITY AS u(arg, position) ORDER BY u.position),
                   m.oid, mn.nspname, m.typname
            FROM pg_catalog.pg_range r
            JOIN pg_catalog.pg_type s ON s.oid = r.rngsubtype
            JOIN pg_catalog.pg_opclass opc ON opc.oid = r.rngsubopc
            JOIN pg_catalog.pg_namespace opn ON opn.oid = opc.opcnamespace
            LEFT JOIN pg_catalog.pg_proc cp ON cp.oid = r.rngcanonical
            LEFT JOIN pg_catalog.pg_namespace cpn ON cpn.oid = cp.pronamespace
            LEFT JOIN pg_catalog.pg_proc dp ON dp.oid = r.rngsubdiff
            LEFT JOIN pg_catalog.pg_namespace dpn ON dpn.oid = dp.pronamespace
            -- rngmultitypid is there from PostgreSQL 14 on.
            LEFT JOIN pg_catalog.pg_type m ON m.oid = (pg_catalog.to_json(r)->>'rngmultitypid')::pg_catalog.oid
            LEFT JOIN pg_catalog.pg_namespace mn ON mn.oid = m.typnamespace
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
    private final Map<Long, Object[]> ranges = new HashMap<>();
    /** A multirange type's oid, to its range type's. */
    private final Map<Long, Long> rangeOfMultirange = new HashMap<>();
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
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(RANGES_SQL)) {
            while (result.next()) {
                long oid = result.getLong(1);
                if (!rows.containsKey(oid)) {
                    continue;
                }
                ranges.put(oid, new Object[] {result.getString(2), result.getLong(3), result.getString(4), result.getString(5),
                        function(result.getString(6), result.getString(7), result.getArray(8)),
                        function(result.getString(9), result.getString(10), result.getArray(11)),
                        result.getString(13), result.getString(14)});
                if (result.getObject(12) != null) {
                    rangeOfMultirange.put(result.getLong(12), oid);
                }
            }
        }
        Map<Long, UserType> types = new HashMap<>();
        for (Long oid : rows.keySet()) {
            types.put(oid, build(oid, new HashSet<>()));
        }
        // A multirange column needs its range type: creating that makes the multirange.
        rangeOfMultirange.forEach((multirange, range) -> types.put(multirange, types.get(range)));
        return types;
    }

    private static FunctionName function(String schema, String name, java.sql.Array arguments) throws SQLException {
        return name == null ? null : new FunctionName(schema, name, List.of((String[]) arguments.getArray()));
    }

    /** The user type behind {@code oid}: itself, or for a multirange its range type; null for a built-in type. */
    private Long userType(Long oid) {
        Long type = oid == null ? null : rangeOfMultirange.getOrDefault(oid, oid);
        return type != null && rows.containsKey(type) ? type : null;
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
                Long base = userType((Long) row[4]);
                if (base != null) {
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
                        notValidChecks.getOrDefault(oid, List.of()), Map.of());
            }
            case "r" -> type = range(oid, schema, name, dependencies, visiting);
            default -> {
                List<String> fields = new ArrayList<>();
                for (Object[] attribute : attributes.getOrDefault((Long) row[8], List.of())) {
                    fields.add(Identifiers.quote((String) attribute[0]) + " " + attribute[1]);
                    Long attributeType = userType((Long) attribute[2]);
                    if (attributeType != null) {
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

    /**
     * {@code AS RANGE (SUBTYPE = ..., ...)}: the options that differ from what CREATE TYPE would choose. A
     * function outside pg_catalog is named in {@link UserType#functions()}: the target must have it.
     */
    private UserType range(long oid, String schema, String name, List<UserType> dependencies, Set<Long> visiting) {
        Object[] range = ranges.get(oid);
        Long subtype = userType((Long) range[1]);
        if (subtype != null) {
            dependencies.add(build(subtype, visiting));
        }
        StringBuilder definition = new StringBuilder("AS RANGE (SUBTYPE = ").append((String) range[0]);
        if (range[2] != null) {
            definition.append(", SUBTYPE_OPCLASS = ").append((String) range[2]);
        }
        if (range[3] != null) {
            definition.append(", COLLATION = ").append((String) range[3]);
        }
        Map<String, FunctionName> functions = new java.util.LinkedHashMap<>();
        String[] options = {"CANONICAL", "SUBTYPE_DIFF"};
        for (int i = 0; i < options.length; i++) {
            FunctionName function = (FunctionName) range[4 + i];
            if (function != null) {
                definition.append(", ").append(options[i]).append(" = ").append(function.quoted());
                if (!"pg_catalog".equals(function.schema())) {
                    functions.put(options[i], function);
                }
            }
        }
        String multirangeSchema = (String) range[6];
        String multirange = (String) range[7];
        // PostgreSQL's own choice: "range" in the name becomes "multirange", or "_multirange" is added.
        int at = name.indexOf("range");
        String chosen = at >= 0 ? name.substring(0, at) + "multi" + name.substring(at) : name + "_multirange";
        if (multirange != null && (!multirange.equals(chosen) || !multirangeSchema.equals(schema))) {
            definition.append(", MULTIRANGE_TYPE_NAME = ").append(Identifiers.quote(multirangeSchema)).append('.')
                    .append(Identifiers.quote(multirange));
        }
        return new UserType(UserType.Kind.RANGE, schema, name, definition.append(')').toString(), dependencies, List.of(),
                functions);
    }
}
