package dev.pgfullload.source;

import dev.pgfullload.config.ParallelLoad;
import dev.pgfullload.config.TableSelection;
import dev.pgfullload.error.Problem;
import dev.pgfullload.jdbc.Connections;
import dev.pgfullload.schema.Identifiers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Discovery and reading for a PostgreSQL source (9.4 and later; partitions, identity columns and
 * generated columns where the source's version has them). Discovery runs with
 * {@code search_path = pg_catalog}, so every name the catalog functions print is schema-qualified.
 */
public final class PostgresSourceDialect implements SourceDialect {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresSourceDialect.class);

    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    private static final String NOT_SYSTEM = "n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'";

    private static final String TABLES_SQL = """
            SELECT c.oid, n.nspname, c.relname, GREATEST(c.reltuples, 0)::bigint AS estimated_rows
            FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p') AND %s AND %s
            ORDER BY n.nspname, c.relname
            """;

    /** Every partition at any depth, with its root table, parents before children. */
    private static final String PARTITIONS_SQL = """
            WITH RECURSIVE tree(relid, parent, root, depth) AS (
                SELECT i.inhrelid, i.inhparent, i.inhparent, 1
                FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class p ON p.oid = i.inhparent
                WHERE p.relkind = 'p' AND NOT p.relispartition AND p.oid = ANY(%s)
                UNION ALL
                SELECT i.inhrelid, i.inhparent, tree.root, tree.depth + 1
                FROM pg_catalog.pg_inherits i JOIN tree ON i.inhparent = tree.relid
            )
            SELECT tree.relid, tree.parent, tree.root, n.nspname, c.relname,
                   pg_catalog.pg_get_expr(c.relpartbound, c.oid),
                   CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END,
                   GREATEST(c.reltuples, 0)::bigint
            FROM tree JOIN pg_catalog.pg_class c ON c.oid = tree.relid
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'f')
            ORDER BY tree.depth, n.nspname, c.relname
            """;

    /** Direct children by inheritance of plain tables. */
    private static final String INHERITANCE_SQL = """
            SELECT i.inhparent, i.inhrelid, n.nspname, c.relname
            FROM pg_catalog.pg_inherits i
            JOIN pg_catalog.pg_class p ON p.oid = i.inhparent
            JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE p.relkind = 'r'
            ORDER BY n.nspname, c.relname
            """;

    private static final String COLUMNS_SQL = """
            SELECT a.attrelid, a.attname, a.attnum, pg_catalog.format_type(a.atttypid, a.atttypmod) AS type_name,
                   a.attnotnull, t.typname, tn.nspname AS type_schema, t.typtype, t.typcategory,
                   -- A domain over an array is of category A too, without an element type: it is the type itself.
                   CASE WHEN t.typcategory = 'A' AND t.typelem <> 0 THEN t.typelem ELSE t.oid END AS base_type,
                   a.attndims, pg_catalog.pg_get_expr(d.adbin, d.adrelid) AS default_expression,
                   %s AS identity, %s AS generated,
                   (SELECT e.extname FROM pg_catalog.pg_depend dep JOIN pg_catalog.pg_extension e ON e.oid = dep.refobjid
                    WHERE dep.classid = 'pg_catalog.pg_type'::regclass AND dep.refclassid = 'pg_catalog.pg_extension'::regclass
                      AND dep.deptype = 'e' AND dep.objid = CASE WHEN t.typcategory = 'A' AND t.typelem <> 0 THEN t.typelem ELSE t.oid END
                    LIMIT 1) AS extension,
                   (SELECT count(*) > 0 FROM pg_catalog.pg_depend dep JOIN pg_catalog.pg_proc p ON p.oid = dep.refobjid
                    JOIN pg_catalog.pg_namespace pn ON pn.oid = p.pronamespace
                    WHERE dep.classid = 'pg_catalog.pg_attrdef'::regclass AND dep.objid = d.oid
                      AND dep.refclassid = 'pg_catalog.pg_proc'::regclass AND pn.nspname <> 'pg_catalog') AS calls_own_function,
                   COALESCE(
                       (SELECT dep.refobjid FROM pg_catalog.pg_depend dep JOIN pg_catalog.pg_class s ON s.oid = dep.refobjid
                        WHERE dep.classid = 'pg_catalog.pg_attrdef'::regclass AND dep.objid = d.oid
                          AND dep.refclassid = 'pg_catalog.pg_class'::regclass AND s.relkind = 'S' LIMIT 1),
                       (SELECT dep.objid FROM pg_catalog.pg_depend dep
                        WHERE dep.classid = 'pg_catalog.pg_class'::regclass AND dep.refclassid = 'pg_catalog.pg_class'::regclass
                          AND dep.refobjid = a.attrelid AND dep.refobjsubid = a.attnum AND dep.deptype = 'i' LIMIT 1)) AS sequence,
                   CASE
                       -- money's binary form depends on lc_monetary; xml's drops the XML declaration; the binary form of
                       -- regclass, regtype and the other reg* types is the object's OID in the source, meaningless elsewhere.
                       WHEN t.typname IN ('money', '_money', 'xml', '_xml') OR (tn.nspname = 'pg_catalog' AND t.typname ~ '^_?reg') THEN false
                       WHEN t.typcategory = 'A' THEN
                           (SELECT en.nspname = 'pg_catalog' AND e.typtype IN ('b', 'r', 'm') AND e.typname !~ '^reg'
                                   AND e.typsend::oid <> 0 AND e.typreceive::oid <> 0
                            FROM pg_catalog.pg_type e JOIN pg_catalog.pg_namespace en ON en.oid = e.typnamespace WHERE e.oid = t.typelem)
                       -- aclitem and a few other built-in types have no binary form at all.
                       WHEN tn.nspname = 'pg_catalog' THEN t.typtype IN ('b', 'r', 'm') AND t.typsend::oid <> 0 AND t.typreceive::oid <> 0
                       WHEN t.typtype = 'e' THEN true
                       WHEN t.typtype = 'd' THEN
                           (SELECT bn.nspname = 'pg_catalog' AND b.typtype = 'b' AND b.typcategory <> 'A' AND b.typname NOT IN ('money', 'xml')
                                   AND b.typname !~ '^reg' AND b.typsend::oid <> 0 AND b.typreceive::oid <> 0
                            FROM pg_catalog.pg_type b JOIN pg_catalog.pg_namespace bn ON bn.oid = b.typnamespace WHERE b.oid = t.typbasetype)
                       ELSE false
                   END AS binary_portable,
                   cn.nspname AS collation_schema, co.collname AS collation_name,
                   -- How CREATE COLLATION would make it, whichever catalog columns the source's version has.
                   (SELECT '(' || CASE j->>'collprovider'
                                      WHEN 'i' THEN 'provider = icu, locale = '
                                          || quote_literal(coalesce(j->>'colllocale', j->>'colliculocale', j->>'collcollate'))
                                          || coalesce(', rules = ' || quote_literal(j->>'collicurules'), '')
                                      WHEN 'b' THEN 'provider = builtin, locale = ' || quote_literal(j->>'colllocale')
                                      ELSE 'lc_collate = ' || quote_literal(j->>'collcollate') || ', lc_ctype = '
                                          || quote_literal(j->>'collctype') END
                           || CASE WHEN j->>'collisdeterministic' = 'false' THEN ', deterministic = false' ELSE '' END || ')'
                    FROM (SELECT pg_catalog.to_json(co) AS j) collation_row) AS collation_definition
            FROM pg_catalog.pg_attribute a
            JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
            JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace
            LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation AND a.attcollation <> t.typcollation
            LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
            WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND %s AND a.attrelid = ANY(%s)
            ORDER BY a.attrelid, a.attnum
            """;

    /** The source's own functions (outside pg_catalog) that stored generated columns call (PostgreSQL 12 and later). */
    private static final String GENERATED_FUNCTIONS_SQL = """
            SELECT d.adrelid, a.attname, pn.nspname, p.proname,
                   ARRAY(SELECT pg_catalog.format_type(u.arg, NULL)
                         FROM unnest(p.proargtypes::pg_catalog.oid[]) WITH ORDINALITY AS u(arg, position) ORDER BY u.position)
            FROM pg_catalog.pg_attrdef d
            JOIN pg_catalog.pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
            JOIN pg_catalog.pg_depend dep ON dep.classid = 'pg_catalog.pg_attrdef'::regclass AND dep.objid = d.oid
                 AND dep.refclassid = 'pg_catalog.pg_proc'::regclass
            JOIN pg_catalog.pg_proc p ON p.oid = dep.refobjid
            JOIN pg_catalog.pg_namespace pn ON pn.oid = p.pronamespace
            WHERE a.attgenerated = 's' AND pn.nspname <> 'pg_catalog' AND d.adrelid = ANY(%s)
            ORDER BY d.adrelid, a.attnum, pn.nspname, p.proname
            """;

    private static final String SEQUENCES_SQL = """
            SELECT s.seqrelid, n.nspname, c.relname, pg_catalog.format_type(s.seqtypid, NULL),
                   s.seqincrement, s.seqmin, s.seqmax, s.seqstart, s.seqcache, s.seqcycle,
                   EXISTS (SELECT 1 FROM pg_catalog.pg_depend dep
                           WHERE dep.classid = 'pg_catalog.pg_class'::regclass AND dep.objid = s.seqrelid
                             AND dep.refclassid = 'pg_catalog.pg_class'::regclass AND dep.deptype IN ('a', 'i')) AS owned
            FROM pg_catalog.pg_sequence s
            JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            """;

    private static final String CONSTRAINTS_SQL = """
            SELECT con.conrelid, n.nspname, c.relname, con.conname, con.contype, pg_catalog.pg_get_constraintdef(con.oid),
                   con.convalidated
            FROM pg_catalog.pg_constraint con
            JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE con.contype IN ('p', 'u', 'x', 'c') AND con.conislocal AND %s AND %s AND con.conrelid = ANY(%s)
            ORDER BY con.conrelid, con.contype, con.conname
            """;

    private static final String INDEXES_SQL = """
            SELECT i.indrelid, n.nspname, c.relname, ic.relname, pg_catalog.pg_get_indexdef(i.indexrelid)
            FROM pg_catalog.pg_index i
            JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
            JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p') AND %s AND i.indrelid = ANY(%s)
              AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con
                              WHERE con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x'))
              AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits inh WHERE inh.inhrelid = i.indexrelid)
            ORDER BY i.indrelid, ic.relname
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
            SELECT con.conname, rn.nspname, r.relname, fn.nspname, f.relname, pg_catalog.pg_get_constraintdef(con.oid)
            FROM pg_catalog.pg_constraint con
            JOIN pg_catalog.pg_class r ON r.oid = con.conrelid
            JOIN pg_catalog.pg_namespace rn ON rn.oid = r.relnamespace
            JOIN pg_catalog.pg_class f ON f.oid = con.confrelid
            JOIN pg_catalog.pg_namespace fn ON fn.oid = f.relnamespace
            WHERE con.contype = 'f' AND %s AND (con.conrelid = ANY(%s) OR con.confrelid = ANY(%s))
            ORDER BY rn.nspname, r.relname, con.conname
            """;

    @Override
    public SourceCatalog discover(Connection connection, TableSelection selection) throws SQLException {
        int version = connection.getMetaData().getDatabaseMajorVersion();
        boolean partitions = version >= 10;
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET search_path = pg_catalog");
        }
        Map<Long, TableName> selected = new LinkedHashMap<>();
        Map<Long, Object[]> tableRows = new HashMap<>();
        // Names first, then everything else for the selected tables only: describing a table's defaults, checks,
        // expressions and size locks it, and a table another session holds exclusively (an ALTER TABLE, a VACUUM
        // FULL) must not stop a load that skips it.
        query(connection, TABLES_SQL.formatted(partitions ? "NOT c.relispartition" : "TRUE", NOT_SYSTEM), rows -> {
            TableName name = new TableName(rows.getString(2), rows.getString(3));
            if (selection.selects(name.schema(), name.name())) {
                selected.put(rows.getLong(1), name);
                tableRows.put(rows.getLong(1), new Object[] {null, rows.getLong(4), 0L});
            }
        });
        String selectedOids = oids(selected.keySet());
        if (partitions) {
            query(connection, "SELECT o, pg_catalog.pg_get_partkeydef(o) FROM unnest(" + selectedOids + ") AS o", rows ->
                    tableRows.get(rows.getLong(1))[0] = rows.getString(2));
        }

        // Partitions belong to their root: its constraints, indexes and estimates include theirs.
        Map<Long, Long> rootOf = new HashMap<>();
        selected.keySet().forEach(oid -> rootOf.put(oid, oid));
        Map<Long, List<PartitionSpec>> partitionsOf = new HashMap<>();
        Map<Long, TableName> names = new HashMap<>(selected);
        if (partitions) {
            query(connection, PARTITIONS_SQL.formatted(selectedOids), rows -> {
                long root = rows.getLong(3);
                if (!selected.containsKey(root)) {
                    return;
                }
                long oid = rows.getLong(1);
                TableName name = new TableName(rows.getString(4), rows.getString(5));
                names.put(oid, name);
                rootOf.put(oid, root);
                partitionsOf.computeIfAbsent(root, key -> new ArrayList<>()).add(new PartitionSpec(name,
                        names.get(rows.getLong(2)), rows.getString(6), rows.getString(7)));
                Object[] estimate = tableRows.get(root);
                estimate[1] = (Long) estimate[1] + rows.getLong(8);
            });
        }
        String describedOids = oids(rootOf.keySet());
        tableSizes(connection, rootOf.keySet()).forEach((oid, bytes) -> {
            Object[] estimate = tableRows.get(rootOf.get(oid));
            estimate[2] = (Long) estimate[2] + bytes;
        });

        Map<Long, UserType> userTypes = new PostgresUserTypes(connection).read();
        Map<Long, SequenceSpec> sequences = version >= 10 ? sequences(connection) : Map.of();
        Map<Long, Map<String, List<FunctionName>>> generatedFunctions = new HashMap<>();
        if (version >= 12) {
            query(connection, GENERATED_FUNCTIONS_SQL.formatted(selectedOids), rows -> generatedFunctions
                    .computeIfAbsent(rows.getLong(1), key -> new HashMap<>()).computeIfAbsent(rows.getString(2), key -> new ArrayList<>())
                    .add(new FunctionName(rows.getString(3), rows.getString(4), List.of((String[]) rows.getArray(5).getArray()))));
        }
        Map<Long, List<SourceColumn>> columns = new HashMap<>();
        query(connection, COLUMNS_SQL.formatted(version >= 10 ? "a.attidentity" : "''", version >= 12 ? "a.attgenerated" : "''",
                NOT_SYSTEM, selectedOids), rows -> {
            long oid = rows.getLong(1);
            if (!selected.containsKey(oid)) {
                return;
            }
            columns.computeIfAbsent(oid, key -> new ArrayList<>()).add(column(rows, userTypes, sequences,
                    generatedFunctions.getOrDefault(oid, Map.of()).getOrDefault(rows.getString(2), List.of())));
        });

        Map<Long, List<ConstraintSpec>> constraints = new HashMap<>();
        query(connection, CONSTRAINTS_SQL.formatted(version >= 11 ? "con.conparentid = 0" : "TRUE", NOT_SYSTEM, describedOids), rows -> {
            Long root = rootOf.get(rows.getLong(1));
            if (root != null) {
                constraints.computeIfAbsent(root, key -> new ArrayList<>()).add(new ConstraintSpec(
                        new TableName(rows.getString(2), rows.getString(3)), rows.getString(4),
                        constraintKind(rows.getString(5)), rows.getString(6), rows.getBoolean(7)));
            }
        });
        Map<Long, List<IndexSpec>> indexes = new HashMap<>();
        query(connection, INDEXES_SQL.formatted(NOT_SYSTEM, describedOids), rows -> {
            Long root = rootOf.get(rows.getLong(1));
            if (root != null) {
                indexes.computeIfAbsent(root, key -> new ArrayList<>()).add(new IndexSpec(
                        new TableName(rows.getString(2), rows.getString(3)), rows.getString(4), withPartitions(rows.getString(5))));
            }
        });
        // Children by inheritance of selected plain tables (a partitioned table's partitions are above).
        Map<Long, List<TableName>[]> inheritance = new HashMap<>();
        query(connection, INHERITANCE_SQL, rows -> {
            long parent = rows.getLong(1);
            if (selected.containsKey(parent)) {
                @SuppressWarnings("unchecked")
                List<TableName>[] lists = inheritance.computeIfAbsent(parent, key -> new List[] {new ArrayList<>(), new ArrayList<>()});
                lists[selected.containsKey(rows.getLong(2)) ? 0 : 1].add(new TableName(rows.getString(3), rows.getString(4)));
            }
        });
        Map<Long, SourceTable.Children> childrenOf = new HashMap<>();
        inheritance.forEach((oid, lists) -> childrenOf.put(oid, new SourceTable.Children(lists[0], lists[1])));
        Map<Long, List<String>> primaryKeys = new HashMap<>();
        query(connection, PRIMARY_KEYS_SQL, rows -> {
            if (selected.containsKey(rows.getLong(1))) {
                primaryKeys.computeIfAbsent(rows.getLong(1), key -> new ArrayList<>()).add(rows.getString(2));
            }
        });

        List<SourceTable> tables = new ArrayList<>();
        for (Map.Entry<Long, TableName> entry : selected.entrySet()) {
            long oid = entry.getKey();
            Object[] row = tableRows.get(oid);
            if ((Long) row[1] == 0 && (Long) row[2] > 0) {
                // Never analyzed: the planner's own estimate from the table's size is better than none.
                row[1] = plannerEstimate(connection, entry.getValue());
            }
            List<ConstraintSpec> tableConstraints = new ArrayList<>(constraints.getOrDefault(oid, List.of()));
            // The table's own constraints before its partitions', so a partition's copy is never made first.
            tableConstraints.sort(Comparator.comparing((ConstraintSpec constraint) -> !constraint.table().equals(entry.getValue())));
            tables.add(new SourceTable(entry.getValue(), columns.getOrDefault(oid, List.of()),
                    primaryKeys.getOrDefault(oid, List.of()), (String) row[0], partitionsOf.getOrDefault(oid, List.of()),
                    tableConstraints, indexes.getOrDefault(oid, List.of()), (Long) row[1], (Long) row[2],
                    childrenOf.getOrDefault(oid, SourceTable.Children.NONE)));
        }
        List<ForeignKey> foreignKeys = new ArrayList<>();
        query(connection, FOREIGN_KEYS_SQL.formatted(version >= 11 ? "con.conparentid = 0" : "TRUE", describedOids, describedOids), rows ->
                foreignKeys.add(new ForeignKey(rows.getString(1), new TableName(rows.getString(2), rows.getString(3)),
                        new TableName(rows.getString(4), rows.getString(5)), rows.getString(6))));
        return new SourceCatalog(tables, foreignKeys);
    }

    private static long plannerEstimate(Connection connection, TableName table) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("EXPLAIN SELECT 1 FROM " + table.quoted())) {
            if (rows.next()) {
                java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("rows=(\\d+)").matcher(rows.getString(1));
                if (matcher.find()) {
                    return Long.parseLong(matcher.group(1));
                }
            }
        } catch (SQLException e) {
            if (!INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
                throw e;
            }
            // The user may not read the table: readProblems says what to grant; no estimate until then.
        }
        return 0;
    }

    @Override
    public List<Problem> readProblems(Connection connection, List<SourceTable> tables) throws SQLException {
        String user;
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT current_user, coalesce((SELECT rolsuper FROM pg_catalog.pg_roles"
                     + " WHERE rolname = current_user), false)")) {
            rows.next();
            if (rows.getBoolean(2)) {
                return List.of();
            }
            user = rows.getString(1);
        }
        java.util.Set<String> schemas = new java.util.TreeSet<>();
        java.util.Set<TableName> selected = new java.util.HashSet<>();
        for (SourceTable table : tables) {
            schemas.add(table.name().schema());
            selected.add(table.name());
        }
        Map<String, List<String>> withoutUsage = new java.util.TreeMap<>();
        List<Problem> problems = new ArrayList<>();
        List<TableName> unreadable = new ArrayList<>();
        try (java.sql.PreparedStatement statement = connection.prepareStatement("""
                SELECT n.nspname, c.relname, pg_catalog.has_schema_privilege(n.oid, 'USAGE'),
                       pg_catalog.has_table_privilege(c.oid, 'SELECT')
                       -- SELECT granted column by column, on every column, reads the table as well.
                       OR NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                                      WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                                        AND NOT pg_catalog.has_column_privilege(c.oid, a.attnum, 'SELECT'))
                FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = ANY (?) AND c.relkind IN ('r', 'p')
                ORDER BY n.nspname, c.relname
                """)) {
            statement.setArray(1, connection.createArrayOf("text", schemas.toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    TableName name = new TableName(rows.getString(1), rows.getString(2));
                    if (!selected.contains(name)) {
                        continue;
                    }
                    if (!rows.getBoolean(3)) {
                        withoutUsage.computeIfAbsent(name.schema(), key -> new ArrayList<>()).add(name.toString());
                    }
                    if (!rows.getBoolean(4)) {
                        unreadable.add(name);
                    }
                }
            }
        }
        withoutUsage.forEach((schema, names) -> problems.add(Problem.preflight("the source user " + user
                + " lacks USAGE on schema " + schema + ", which holds the selected tables " + names
                + ": run GRANT USAGE ON SCHEMA " + Identifiers.quote(schema) + " TO " + Identifiers.quote(user))));
        for (TableName name : unreadable) {
            problems.add(Problem.preflight("the source user " + user + " may not read table " + name
                    + " (no SELECT privilege on it, nor on each of its columns): run GRANT SELECT ON TABLE " + name.quoted() + " TO " + Identifiers.quote(user)
                    + " (or, on PostgreSQL 14 and later, GRANT pg_read_all_data TO " + Identifiers.quote(user) + ")"));
        }
        return problems;
    }

    /** Indexes of the given relations that depend on a column of the given names, with those columns. */
    private static final String CHANGED_INDEXES_SQL = """
            SELECT i.indexrelid, ic.relname, n.nspname, c.relname, am.oid, am.amname, i.indnatts,
                   pg_catalog.pg_get_expr(i.indpred, i.indrelid), uses.names,
                   (SELECT con.conname FROM pg_catalog.pg_constraint con WHERE con.conindid = i.indexrelid
                      AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x') LIMIT 1)
            FROM pg_catalog.pg_index i
            JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
            JOIN pg_catalog.pg_am am ON am.oid = ic.relam
            JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            CROSS JOIN LATERAL (SELECT ARRAY(
                SELECT a.attname::text FROM pg_catalog.pg_attribute a
                WHERE a.attrelid = i.indrelid AND a.attname = ANY(?::text[]) AND a.attnum IN (
                    SELECT d.refobjsubid FROM pg_catalog.pg_depend d
                    WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = i.indexrelid
                      AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.refobjid = i.indrelid)
                ORDER BY a.attnum) AS names) uses
            WHERE i.indrelid = ANY(?::pg_catalog.regclass[]) AND cardinality(uses.names) > 0
              -- A partition's copy of its parent's index is the parent's.
              AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits inh WHERE inh.inhrelid = i.indexrelid)
            ORDER BY n.nspname, c.relname, ic.relname
            """;

    /** CHECK constraints and generated columns of the given relations that depend on a column of the given names. */
    private static final String CHANGED_EXPRESSIONS_SQL = """
            SELECT 'check constraint', con.conname, n.nspname, c.relname, pg_catalog.pg_get_expr(con.conbin, con.conrelid), NULL,
                   ARRAY(SELECT a.attname::text FROM pg_catalog.pg_attribute a
                         WHERE a.attrelid = con.conrelid AND a.attname = ANY(?::text[]) AND a.attnum IN (
                             SELECT d.refobjsubid FROM pg_catalog.pg_depend d
                             WHERE d.classid = 'pg_catalog.pg_constraint'::regclass AND d.objid = con.oid
                               AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.refobjid = con.conrelid)
                         ORDER BY a.attnum)
            FROM pg_catalog.pg_constraint con
            JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            -- A partition's copies of its parent's constraints and generated columns are the parent's.
            WHERE con.contype = 'c' AND con.conislocal AND con.conrelid = ANY(?::pg_catalog.regclass[])
            UNION ALL
            SELECT 'generated column', g.attname, n.nspname, c.relname, pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), g.attname,
                   ARRAY(SELECT a.attname::text FROM pg_catalog.pg_attribute a
                         WHERE a.attrelid = ad.adrelid AND a.attname = ANY(?::text[]) AND a.attnum IN (
                             SELECT d.refobjsubid FROM pg_catalog.pg_depend d
                             WHERE d.classid = 'pg_catalog.pg_attrdef'::regclass AND d.objid = ad.oid
                               AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.refobjid = ad.adrelid
                               AND d.refobjsubid <> ad.adnum)
                         ORDER BY a.attnum)
            FROM pg_catalog.pg_attrdef ad
            JOIN pg_catalog.pg_attribute g ON g.attrelid = ad.adrelid AND g.attnum = ad.adnum
            JOIN pg_catalog.pg_class c ON c.oid = ad.adrelid
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE %s AND g.attislocal AND ad.adrelid = ANY(?::pg_catalog.regclass[])
            ORDER BY 3, 4, 1, 2
            """;

    /**
     * Each object is tried on the source itself, read-only and on no row: its expression over the table's
     * columns with the changed ones cast to their target types ({@code SELECT ... FROM (SELECT id, jb::text AS jb
     * ... FROM ONLY t WHERE false)}). An index key whose type changes must also find an operator class for
     * its new type, as its definition names none (the access method's default) or names one for the old type.
     */
    @Override
    public List<Problem> typeChangeProblems(Connection connection, SourceTable table, Map<String, TypeChange> changes)
            throws SQLException {
        if (changes.isEmpty()) {
            return List.of();
        }
        try {
            return tryTypeChanges(connection, table, changes);
        } catch (SQLException e) {
            if (!INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
                throw e;
            }
            // The user may not read the table: readProblems says what to grant; this check waits until then.
            return List.of();
        }
    }

    private List<Problem> tryTypeChanges(Connection connection, SourceTable table, Map<String, TypeChange> changes)
            throws SQLException {
        List<Problem> problems = new ArrayList<>();
        List<String> relations = new ArrayList<>(List.of(table.name().quoted()));
        table.partitions().forEach(partition -> relations.add(partition.name().quoted()));
        java.sql.Array names = connection.createArrayOf("text", changes.keySet().toArray());
        java.sql.Array oids = connection.createArrayOf("text", relations.toArray());
        StringBuilder original = new StringBuilder("SELECT ");
        StringBuilder changed = new StringBuilder("SELECT ");
        for (SourceColumn column : table.columns()) {
            String name = Identifiers.quote(column.name());
            String separator = original.length() > "SELECT ".length() ? ", " : "";
            original.append(separator).append(name);
            TypeChange change = changes.get(column.name());
            changed.append(separator).append(change == null ? name : "CAST(" + name + " AS " + change.targetType() + ") AS " + name);
        }
        String alias = Identifiers.quote(table.name().name());
        String rows = " FROM ONLY " + table.name().quoted() + " WHERE false) AS " + alias;
        String before = "(" + original + rows;
        String after = "(" + changed + rows;

        try (PreparedStatement statement = connection.prepareStatement(CHANGED_INDEXES_SQL)) {
            statement.setArray(1, names);
            statement.setArray(2, oids);
            try (ResultSet found = statement.executeQuery()) {
                while (found.next()) {
                    String what = (found.getString(10) == null ? "index " + found.getString(2) : "constraint " + found.getString(10))
                            + " of table " + found.getString(3) + "." + found.getString(4);
                    List<String> uses = List.of((String[]) found.getArray(9).getArray());
                    String failure = indexFailure(connection, found.getLong(1), found.getLong(5), found.getString(6),
                            found.getInt(7), found.getString(8), before, after);
                    if (failure != null) {
                        problems.add(Problem.preflight(typeChangeProblem(what, uses, changes, failure)));
                    }
                }
            }
        }
        int version = connection.getMetaData().getDatabaseMajorVersion();
        try (PreparedStatement statement = connection.prepareStatement(
                CHANGED_EXPRESSIONS_SQL.formatted(version >= 12 ? "g.attgenerated = 's'" : "false"))) {
            statement.setArray(1, names);
            statement.setArray(2, oids);
            statement.setArray(3, names);
            statement.setArray(4, oids);
            try (ResultSet found = statement.executeQuery()) {
                while (found.next()) {
                    List<String> uses = List.of((String[]) found.getArray(7).getArray());
                    if (uses.isEmpty()) {
                        continue;
                    }
                    String expression = found.getString(5);
                    String generated = found.getString(6);
                    String probe = generated == null ? "SELECT (" + expression + ") FROM " + after
                            : "SELECT CAST((" + expression + ") AS " + targetType(table, generated, changes) + ") FROM " + after;
                    String failure = probeFailure(connection, probe);
                    if (failure != null) {
                        problems.add(Problem.preflight(typeChangeProblem(found.getString(1) + " " + found.getString(2)
                                + " of table " + found.getString(3) + "." + found.getString(4), uses, changes, failure)));
                    }
                }
            }
        }
        return problems;
    }

    private static String targetType(SourceTable table, String column, Map<String, TypeChange> changes) {
        TypeChange change = changes.get(column);
        if (change != null) {
            return change.targetType();
        }
        return table.columns().stream().filter(candidate -> candidate.name().equals(column)).map(SourceColumn::typeName)
                .findFirst().orElseThrow();
    }

    private static String typeChangeProblem(String what, List<String> uses, Map<String, TypeChange> changes, String failure) {
        TypeChange change = changes.get(uses.get(0));
        return what + " uses " + (uses.size() == 1 ? "column " + uses.get(0) + ", which becomes " + change.targetType()
                : "columns " + String.join(", ", uses) + ", which become " + change.targetType()) + " under " + change.setting()
                + ", and would not work in the target (" + failure + "): " + change.remedy();
    }

    /** Why the index would not build once the columns have changed, or null when it would. */
    private static String indexFailure(Connection connection, long index, long accessMethod, String accessMethodName, int keys,
                                       String predicate, String before, String after) throws SQLException {
        if (predicate != null) {
            String failure = probeFailure(connection, "SELECT 1 FROM " + after + " WHERE " + predicate);
            if (failure != null) {
                return failure;
            }
        }
        List<Object[]> columns = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT pg_catalog.pg_get_indexdef(i.indexrelid, k.position::int, true), opc.opcname, opc.opcdefault
                FROM pg_catalog.pg_index i
                CROSS JOIN LATERAL unnest(i.indclass::pg_catalog.oid[]) WITH ORDINALITY AS k(opclass, position)
                JOIN pg_catalog.pg_opclass opc ON opc.oid = k.opclass
                WHERE i.indexrelid = ? ORDER BY k.position
                """)) {
            statement.setLong(1, index);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    columns.add(new Object[] {rows.getString(1), rows.getString(2), rows.getBoolean(3)});
                }
            }
        }
        // indclass holds the key columns only; INCLUDE columns need no operator class.
        for (Object[] column : columns.subList(0, Math.min(keys, columns.size()))) {
            String key = (String) column[0];
            Object[] old = probeType(connection, "SELECT pg_catalog.pg_typeof((SELECT " + key + " FROM " + before + "))");
            Object[] now;
            try {
                now = probeType(connection, "SELECT pg_catalog.pg_typeof((SELECT " + key + " FROM " + after + "))");
            } catch (SQLException e) {
                return firstLine(e);
            }
            if (old[0].equals(now[0])) {
                continue;
            }
            if (!(Boolean) column[2]) {
                return "its operator class " + column[1] + " is for " + old[1] + ", not " + now[1];
            }
            try (PreparedStatement statement = connection.prepareStatement("""
                    SELECT 1 FROM pg_catalog.pg_opclass o JOIN pg_catalog.pg_type t ON t.oid = ?
                    WHERE o.opcmethod = ? AND o.opcdefault
                      AND (o.opcintype = t.oid OR o.opcintype = 'pg_catalog.anyarray'::pg_catalog.regtype AND t.typcategory = 'A'
                           OR EXISTS (SELECT 1 FROM pg_catalog.pg_cast c
                                      WHERE c.castsource = t.oid AND c.casttarget = o.opcintype AND c.castmethod = 'b'))
                    """)) {
                statement.setLong(1, (Long) now[0]);
                statement.setLong(2, accessMethod);
                try (ResultSet rows = statement.executeQuery()) {
                    if (!rows.next()) {
                        return "access method " + accessMethodName + " has no default operator class for " + now[1];
                    }
                }
            }
        }
        return null;
    }

    /** The oid and name of the type a probe's one value has. */
    private static Object[] probeType(Connection connection, String sql) throws SQLException {
        return probe(connection, "SELECT t::pg_catalog.oid, pg_catalog.format_type(t::pg_catalog.oid, NULL) FROM (" + sql + ") AS p(t)",
                rows -> new Object[] {rows.getLong(1), rows.getString(2)});
    }

    /** The server's error for {@code sql}, or null when it runs. */
    private static String probeFailure(Connection connection, String sql) throws SQLException {
        try {
            probe(connection, sql, rows -> null);
            return null;
        } catch (SQLException e) {
            if (INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
                // Not the type change: the source user may not read the table, which preflight reports with its GRANT.
                throw e;
            }
            return firstLine(e);
        }
    }

    private interface ProbeResult<T> {
        T read(ResultSet rows) throws SQLException;
    }

    /** Runs {@code sql} (which reads no row of any table), in a savepoint when a transaction is open, so a failure ends only it. */
    private static <T> T probe(Connection connection, String sql, ProbeResult<T> result) throws SQLException {
        java.sql.Savepoint savepoint = connection.getAutoCommit() ? null : connection.setSavepoint();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            T value = rows.next() ? result.read(rows) : null;
            if (savepoint != null) {
                connection.releaseSavepoint(savepoint);
            }
            return value;
        } catch (SQLException e) {
            if (savepoint != null) {
                connection.rollback(savepoint);
            }
            throw e;
        }
    }

    private static String firstLine(SQLException e) {
        return e.getMessage() == null ? String.valueOf(e.getSQLState()) : e.getMessage().lines().findFirst().orElse("");
    }

    /**
     * pg_get_indexdef prints an index of a partitioned table as {@code CREATE INDEX name ON ONLY table ...}:
     * run as it is, that makes an invalid index of the parent alone. Without ONLY the target builds
     * it on every partition as well, as the source has it.
     */
    static String withPartitions(String definition) {
        int at = definition.startsWith("CREATE INDEX ") ? "CREATE INDEX ".length()
                : definition.startsWith("CREATE UNIQUE INDEX ") ? "CREATE UNIQUE INDEX ".length() : -1;
        if (at < 0) {
            return definition;
        }
        // Past the index name, quoted ("a ""b"" c") or not.
        if (at < definition.length() && definition.charAt(at) == '"') {
            int end = Identifiers.endOfQuoted(definition, at);
            at = end < 0 ? definition.length() : end;
        } else {
            while (at < definition.length() && definition.charAt(at) != ' ') {
                at++;
            }
        }
        return definition.startsWith(" ON ONLY ", at)
                ? definition.substring(0, at) + " ON " + definition.substring(at + " ON ONLY ".length())
                : definition;
    }

    private static SourceColumn column(ResultSet rows, Map<Long, UserType> userTypes, Map<Long, SequenceSpec> sequences,
                                       List<FunctionName> generatedFunctions) throws SQLException {
        String typeName = rows.getString(4);
        int dimensions = rows.getInt(11);
        // format_type prints one pair of brackets whatever the declared dimensions; keep what was declared.
        if (typeName.endsWith("[]") && dimensions > 1) {
            typeName = typeName + "[]".repeat(dimensions - 1);
        }
        String identity = switch (rows.getString(13) == null ? "" : rows.getString(13)) {
            case "a" -> "ALWAYS";
            case "d" -> "BY DEFAULT";
            default -> null;
        };
        boolean generated = "s".equals(rows.getString(14));
        String expression = rows.getString(12);
        Object sequenceOid = rows.getObject(17);
        SequenceSpec sequence = sequenceOid == null ? null : sequences.get(((Number) sequenceOid).longValue());
        String defaultExpression = generated || rows.getBoolean(16) ? null : expression;
        Collation collation = rows.getString("collation_name") == null ? null
                : new Collation(rows.getString("collation_schema"), rows.getString("collation_name"),
                rows.getString("collation_definition"));
        return new SourceColumn(rows.getString(2), rows.getInt(3), typeName,
                kind(rows.getString(6), rows.getString(7), rows.getString(8)), rows.getBoolean(5),
                rows.getLong(10) == 0 ? null : userTypes.get(rows.getLong(10)), defaultExpression, identity, sequence,
                generated ? expression : null, rows.getString(15), rows.getBoolean(18), collation, generatedFunctions);
    }

    private static Map<Long, SequenceSpec> sequences(Connection connection) throws SQLException {
        Map<Long, SequenceSpec> sequences = new HashMap<>();
        query(connection, SEQUENCES_SQL, rows -> {
            String options = "INCREMENT BY " + rows.getLong(5) + " MINVALUE " + rows.getLong(6) + " MAXVALUE " + rows.getLong(7)
                    + " START WITH " + rows.getLong(8) + " CACHE " + rows.getLong(9) + (rows.getBoolean(10) ? " CYCLE" : " NO CYCLE");
            sequences.put(rows.getLong(1), new SequenceSpec(rows.getString(2), rows.getString(3), rows.getString(4), options,
                    rows.getBoolean(11)));
        });
        return sequences;
    }

    private static ConstraintSpec.Kind constraintKind(String type) {
        return switch (type) {
            case "p" -> ConstraintSpec.Kind.PRIMARY_KEY;
            case "u" -> ConstraintSpec.Kind.UNIQUE;
            case "x" -> ConstraintSpec.Kind.EXCLUSION;
            default -> ConstraintSpec.Kind.CHECK;
        };
    }

    private interface RowHandler {
        void accept(ResultSet rows) throws SQLException;
    }

    private static void query(Connection connection, String sql, RowHandler handler) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                handler.accept(rows);
            }
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
            case "json", "jsonb", "_json", "_jsonb" -> ColumnKind.JSON;
            case "money" -> ColumnKind.MONEY;
            default -> ColumnKind.TEXT_FORM;
        };
    }

    @Override
    public String selectExpression(SourceColumn column, boolean binary) {
        String name = Identifiers.quote(column.name());
        if (column.readAsBinary(binary)) {
            // A json or jsonb array becomes text[] in the target: its elements' text, in text[]'s binary form.
            return column.kind() == ColumnKind.JSON ? name + "::text[] AS " + name : name;
        }
        return switch (column.kind()) {
            case SMALLINT, INTEGER, BIGINT, BOOLEAN, REAL, DOUBLE, STRING, BINARY -> name;
            case JSON, TEXT_FORM -> name + "::text AS " + name;
            case MONEY -> name + "::numeric::text AS " + name;
        };
    }

    /**
     * A partitioned table's rows are its partitions' rows. A table with children by inheritance
     * ({@code INHERITS}) is read without them ({@code ONLY}) when they are selected too, each loaded on
     * its own (they would otherwise be loaded twice), and with them when none is.
     */
    @Override
    public String relation(SourceTable table) {
        return from(table);
    }

    static String from(SourceTable table) {
        return (table.partitioned() || table.children().readWithTable() ? "" : "ONLY ") + table.name().quoted();
    }

    @Override
    public List<ReadPartition> planPartitions(Connection connection, SourceTable table, PartitionSizing sizing, ParallelLoad ranges)
            throws SQLException {
        return PostgresPartitionPlanner.plan(connection, table, sizing, ranges);
    }

    @Override
    public List<String> rangeProblems(Connection connection, SourceTable table, ParallelLoad ranges) throws SQLException {
        return PostgresPartitionPlanner.rangeProblems(connection, table, ranges);
    }

    /**
     * A repeatable-read, read-only transaction and {@code pg_export_snapshot()}, as pg_dump takes one:
     * every partition of every table is then read as the source stood at one instant, whatever
     * commits on it during the load. The transaction must not be ended by
     * {@code idle_in_transaction_session_timeout} (PostgreSQL 9.6 and later) or {@code transaction_timeout}
     * (17 and later) while the load runs.
     */
    @Override
    public String exportSnapshot(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            statement.execute("SELECT pg_catalog.set_config(name, '0', false) FROM pg_catalog.pg_settings"
                    + " WHERE name IN ('idle_in_transaction_session_timeout', 'transaction_timeout')");
            try (ResultSet rows = statement.executeQuery("SELECT pg_catalog.pg_export_snapshot()")) {
                rows.next();
                return rows.getString(1);
            }
        }
    }

    /** {@code oids} as an SQL array literal of oids. */
    private static String oids(java.util.Collection<Long> oids) {
        StringBuilder literal = new StringBuilder("'{");
        for (Long oid : oids) {
            literal.append(literal.length() > 2 ? "," : "").append(oid.longValue());
        }
        return literal.append("}'::pg_catalog.oid[]").toString();
    }

    /** Bytes on disk of each of {@code oids}, with its TOAST table: one query, a lock on each while it is measured. */
    private static Map<Long, Long> tableSizes(Connection connection, java.util.Collection<Long> oids) throws SQLException {
        Map<Long, Long> sizes = new HashMap<>();
        if (oids.isEmpty()) {
            return sizes;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT o, pg_catalog.pg_table_size(o) FROM unnest(?::pg_catalog.oid[]) AS o")) {
            statement.setArray(1, connection.createArrayOf("bigint", oids.toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    sizes.put(rows.getLong(1), rows.getLong(2));
                }
            }
        }
        return sizes;
    }


    /**
     * ACCESS SHARE on every selected table (a partitioned one and its partitions, a parent and its
     * children), as pg_dump takes them: statements that change rows still run, those that would empty,
     * rewrite or drop a table wait until the load ends. Tables the source user may not SELECT from as a
     * whole (column grants), which it may not lock either, stay unlocked, with a warning.
     */
    @Override
    public void lockTables(Connection connection, List<SourceTable> tables) throws SQLException {
        List<String> names = new ArrayList<>();
        for (SourceTable table : tables) {
            names.add(table.name().quoted());
        }
        List<String> unlocked = PostgresPartitionPlanner.unreadable(connection, names);
        List<String> lockable = new ArrayList<>(names);
        lockable.removeAll(unlocked);
        if (!unlocked.isEmpty()) {
            LOG.warn("Tables {} are not locked for the load: the source user's SELECT on them is granted column by column,"
                    + " and locking a table needs SELECT on it; keep TRUNCATE and table rewrites off them until the load ends",
                    unlocked);
        }
        if (lockable.isEmpty()) {
            return;
        }
        // The session waits for the locks as long as source.lock-timeout allows (set when it was opened).
        try (Statement statement = connection.createStatement()) {
            statement.execute("LOCK TABLE " + String.join(", ", lockable) + " IN ACCESS SHARE MODE");
        }
    }

    @Override
    public String snapshotStatement(String snapshot, boolean open) {
        return (open ? "SET TRANSACTION ISOLATION LEVEL" : "BEGIN ISOLATION LEVEL") + " REPEATABLE READ, READ ONLY;"
                + " SET TRANSACTION SNAPSHOT " + Identifiers.literal(snapshot);
    }

    @Override
    public List<String> exclusiveLockHolders(Connection connection) {
        List<String> holders = new ArrayList<>();
        try {
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
            try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(
                    "SELECT l.relation::pg_catalog.regclass::text, l.granted, l.pid, coalesce(nullif(a.application_name, ''),"
                    + " a.usename::text, 'unknown application'), coalesce(a.state, 'state not visible to this user'),"
                    + " left(regexp_replace(coalesce(a.query, ''), '\\s+', ' ', 'g'), 120)"
                    + " FROM pg_catalog.pg_locks l LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid"
                    + " WHERE l.locktype = 'relation' AND l.mode = 'AccessExclusiveLock' AND l.pid <> pg_catalog.pg_backend_pid()"
                    + " AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database())"
                    + " ORDER BY 1, 2 DESC, 3")) {
                while (rows.next()) {
                    String who = rows.getString(3) == null ? "a prepared transaction (see pg_prepared_xacts)"
                            : "pid " + rows.getString(3) + " (" + rows.getString(4) + ", " + rows.getString(5) + ": "
                            + rows.getString(6) + ")";
                    holders.add(rows.getString(1) + ": " + (rows.getBoolean(2) ? "held by " : "waited for by ") + who);
                }
            }
        } catch (SQLException e) {
            LOG.debug("could not list the source's exclusive locks: {}", e.getMessage());
        }
        return holders;
    }

    @Override
    public String lockTimeoutStatement(long millis) {
        // A reading session waits for a lock only behind a statement that itself waits for the load's own locks (an
        // ALTER TABLE, a TRUNCATE): with a limit it gives up, instead of waiting for a load that waits for it.
        return Connections.lockTimeoutStatement(millis);
    }

    @Override
    public String sessionInitStatement() {
        // Text forms that any PostgreSQL parses back exactly, whatever the source server's defaults.
        return "SET extra_float_digits = 3; SET IntervalStyle = 'postgres'; SET bytea_output = 'hex'";
    }
}
