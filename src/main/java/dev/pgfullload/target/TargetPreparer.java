package dev.pgfullload.target;

import dev.pgfullload.config.PrepMode;
import dev.pgfullload.error.FailureCategory;
import dev.pgfullload.error.FullLoadException;
import dev.pgfullload.error.Problem;
import dev.pgfullload.schema.TargetColumn;
import dev.pgfullload.schema.TargetTable;
import dev.pgfullload.source.Collation;
import dev.pgfullload.source.ForeignKey;
import dev.pgfullload.source.FunctionName;
import dev.pgfullload.source.SourceColumn;
import dev.pgfullload.source.TableName;
import dev.pgfullload.source.UserType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Optional;

/**
 * The preparation step on the driver: schemas, enum types and tables made ready for the load
 * according to the preparation mode. Every check runs before the first change, and all changes run in
 * one transaction, so a refused or failed preparation leaves the target exactly as it was.
 */
public final class TargetPreparer {

    private static final Logger LOG = LoggerFactory.getLogger(TargetPreparer.class);

    private static final String RELATIONS_SQL = """
            SELECT n.nspname, c.relname, c.oid, c.relkind
            FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = ANY (?) AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
            """;

    private static final String COLUMNS_SQL = """
            SELECT a.attrelid, a.attname, a.attnotnull, a.atthasdef,
                   -- Schema-qualified as the source's discovery prints it (search_path = pg_catalog).
                   CASE WHEN tn.nspname = 'pg_catalog' OR NOT pg_catalog.pg_type_is_visible(t.oid)
                        THEN pg_catalog.format_type(a.atttypid, a.atttypmod)
                        ELSE pg_catalog.quote_ident(tn.nspname) || '.' || pg_catalog.format_type(a.atttypid, a.atttypmod) END
            FROM pg_catalog.pg_attribute a
            JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
            JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace
            WHERE a.attrelid = ANY (?::text[]::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attrelid, a.attnum
            """;

    /**
     * Foreign keys touching the given tables, each end named by its partitioned root table: a key on
     * a partition (Pagila's payment partitions have their own) or cloned onto one belongs to the
     * partitioned table, which is what is selected, truncated and dropped.
     */
    private static final String FOREIGN_KEYS_SQL = """
            WITH RECURSIVE up(relid, ancestor) AS (
                SELECT i.inhrelid, i.inhparent
                FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class p ON p.oid = i.inhparent
                WHERE p.relkind = 'p'
                UNION ALL
                SELECT up.relid, i.inhparent
                FROM up JOIN pg_catalog.pg_inherits i ON i.inhrelid = up.ancestor
                JOIN pg_catalog.pg_class p ON p.oid = i.inhparent
                WHERE p.relkind = 'p'
            ), roots(relid, root) AS (
                SELECT up.relid, up.ancestor FROM up
                WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class p ON p.oid = i.inhparent
                                  WHERE i.inhrelid = up.ancestor AND p.relkind = 'p')
            ), keys(conname, referencing, referenced) AS (
                SELECT con.conname, COALESCE(rr.root, con.conrelid), COALESCE(fr.root, con.confrelid)
                FROM pg_catalog.pg_constraint con
                LEFT JOIN roots rr ON rr.relid = con.conrelid
                LEFT JOIN roots fr ON fr.relid = con.confrelid
                WHERE con.contype = 'f'
            )
            SELECT DISTINCT k.conname, rn.nspname, r.relname, fn.nspname, f.relname
            FROM keys k
            JOIN pg_catalog.pg_class r ON r.oid = k.referencing
            JOIN pg_catalog.pg_namespace rn ON rn.oid = r.relnamespace
            JOIN pg_catalog.pg_class f ON f.oid = k.referenced
            JOIN pg_catalog.pg_namespace fn ON fn.oid = f.relnamespace
            WHERE k.referenced = ANY (?::text[]::oid[]) OR k.referencing = ANY (?::text[]::oid[])
            ORDER BY 2, 3, 1, 4, 5
            """;

    private static final String DEPENDENT_VIEWS_SQL = """
            SELECT DISTINCT vn.nspname, v.relname, f.oid
            FROM pg_catalog.pg_depend d
            JOIN pg_catalog.pg_rewrite rw ON rw.oid = d.objid
            JOIN pg_catalog.pg_class v ON v.oid = rw.ev_class
            JOIN pg_catalog.pg_namespace vn ON vn.oid = v.relnamespace
            JOIN pg_catalog.pg_class f ON f.oid = d.refobjid
            WHERE d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.refclassid = 'pg_catalog.pg_class'::regclass
              AND d.refobjid = ANY (?::text[]::oid[]) AND v.oid <> d.refobjid
            """;

    private TargetPreparer() {
    }

    /**
     * Prepares the target for {@code tables}. Returns what was done and the foreign keys among the
     * selected tables as they exist in the target afterwards.
     */
    /**
     * @param primaryKeyAfterLoad tables created here get their primary key after the load, not now
     * @param beforeChanges run after the checks of this class and before the first change: a refusal it
     *                      throws leaves the target as it was
     */
    public static Preparation prepare(Connection target, List<TargetTable> tables, PrepMode mode, boolean primaryKeyAfterLoad,
                                      BeforeChanges beforeChanges)
            throws SQLException {
        Set<String> schemas = schemas(tables);
        boolean autoCommit = target.getAutoCommit();
        target.setAutoCommit(false);
        try {
            Inspection inspection = inspect(target, tables, mode);
            if (!inspection.problems().isEmpty()) {
                Problem first = inspection.problems().get(0);
                throw new FullLoadException(first.category(), first.message());
            }
            Map<TableName, Long> existing = inspection.existing();
            List<ForeignKey> amongSelected = inspection.foreignKeys();
            beforeChanges.check(inspection.kept(), amongSelected);

            List<String> actions = new ArrayList<>();
            for (String schema : schemas) {
                if (!schemaExists(target, schema)) {
                    execute(target, TargetSql.createSchema(schema));
                    actions.add("created schema " + schema);
                }
            }
            Set<UserType> types = new LinkedHashSet<>();
            tables.forEach(table -> table.userTypes().forEach(type -> addWithDependencies(type, types)));
            Set<UserType> createdTypes = new LinkedHashSet<>();
            for (UserType type : types) {
                if (!typeExists(target, type)) {
                    execute(target, TargetSql.createType(type));
                    actions.add("created " + type);
                    createdTypes.add(type);
                }
            }
            Set<TableName> toCreate = new LinkedHashSet<>();
            for (TargetTable table : tables) {
                if (!existing.containsKey(table.name()) || mode == PrepMode.DROP_AND_CREATE) {
                    toCreate.add(table.name());
                }
            }
            if (mode == PrepMode.DROP_AND_CREATE && !existing.isEmpty()) {
                execute(target, TargetSql.dropTables(existing.keySet()));
                actions.add("dropped " + existing.keySet());
            }
            if (mode == PrepMode.TRUNCATE_BEFORE_LOAD && !existing.isEmpty()) {
                execute(target, TargetSql.truncateTables(existing.keySet()));
                actions.add("truncated " + existing.keySet() + " in one statement");
            }
            for (TargetTable table : tables) {
                if (toCreate.contains(table.name())) {
                    create(target, table, primaryKeyAfterLoad);
                }
            }
            if (!toCreate.isEmpty()) {
                actions.add("created " + toCreate);
            }
            target.commit();
            actions.forEach(action -> LOG.info("Target preparation ({}): {}", mode, action));
            return new Preparation(existing.keySet(), toCreate, amongSelected, actions, createdTypes);
        } catch (SQLException | RuntimeException e) {
            target.rollback();
            if (e instanceof SQLException sql) {
                throw new FullLoadException(FailureCategory.SCHEMA, "target preparation (" + mode
                        + ") failed and was rolled back, nothing changed: " + sql.getMessage(), sql);
            }
            throw e;
        } finally {
            target.setAutoCommit(autoCommit);
        }
    }

    /**
     * What preparation would find, without changing anything: the selected tables that exist, the
     * foreign keys among them that the target keeps, and every reason preparation would refuse (two
     * tables mapped to one name, a relation in the way that is not a table, an unselected table's
     * foreign key or a view on a table to be truncated or dropped, existing tables whose columns do not fit).
     */
    public static Inspection inspect(Connection target, List<TargetTable> tables, PrepMode mode) throws SQLException {
        List<Problem> problems = new ArrayList<>();
        Map<TableName, TargetTable> selected = new HashMap<>();
        for (TargetTable table : tables) {
            if (selected.put(table.name(), table) != null) {
                problems.add(new Problem(FailureCategory.SCHEMA, "two selected tables map to the same target table "
                        + table.name() + ": exclude one of them"));
            }
        }
        Map<TableName, Long> existing = existingTables(target, schemas(tables), selected.keySet(), problems);
        List<ForeignKey> foreignKeys = foreignKeys(target, existing.values());
        List<String> conflicts = new ArrayList<>();
        if (mode != PrepMode.DO_NOTHING) {
            for (ForeignKey key : foreignKeys) {
                if (!selected.containsKey(key.referencing()) && selected.containsKey(key.referenced())) {
                    conflicts.add("foreign key " + key.name() + " of table " + key.referencing()
                            + ", which is not selected, references " + key.referenced());
                }
            }
        }
        if (mode == PrepMode.DROP_AND_CREATE) {
            conflicts.addAll(dependentViews(target, existing, selected.keySet()));
        }
        if (!conflicts.isEmpty()) {
            String action = mode == PrepMode.DROP_AND_CREATE ? "dropped" : "truncated";
            problems.add(Problem.preflight("nothing was " + action + ": "
                    + String.join("; ", conflicts) + ". Select the dependent objects too, drop them first,"
                    + " or use load.target-table-prep-mode = DO_NOTHING"));
        }
        Map<TableName, List<String>> typeDifferences = new TreeMap<>();
        if (mode != PrepMode.DROP_AND_CREATE) {
            checkColumns(target, existing, selected, typeDifferences).ifPresent(problems::add);
        }
        List<TargetTable> created = tables.stream()
                .filter(table -> mode == PrepMode.DROP_AND_CREATE || !existing.containsKey(table.name())).toList();
        problems.addAll(missingCollations(target, created));
        problems.addAll(missingFunctions(target, created));
        problems.addAll(missingTypeFunctions(target, tables));
        List<ForeignKey> amongSelected = foreignKeys.stream()
                .filter(key -> selected.containsKey(key.referencing()) && selected.containsKey(key.referenced()))
                .filter(key -> mode != PrepMode.DROP_AND_CREATE)
                .toList();
        Set<TableName> kept = mode == PrepMode.DROP_AND_CREATE ? Set.of() : existing.keySet();
        return new Inspection(existing, kept, amongSelected, problems, typeDifferences);
    }

    /** The schemas of the tables and of the user types they need. */
    static Set<String> schemas(List<TargetTable> tables) {
        Set<String> schemas = new TreeSet<>();
        tables.forEach(table -> schemas.add(table.name().schema()));
        Set<UserType> allTypes = new LinkedHashSet<>();
        tables.forEach(table -> table.userTypes().forEach(type -> addWithDependencies(type, allTypes)));
        allTypes.forEach(type -> schemas.add(type.schema()));
        return schemas;
    }

    /** Every user type the tables need, dependencies first. */
    public static Set<UserType> userTypes(Collection<TargetTable> tables) {
        Set<UserType> types = new LinkedHashSet<>();
        tables.forEach(table -> table.userTypes().forEach(type -> addWithDependencies(type, types)));
        return types;
    }

    private static void create(Connection target, TargetTable table, boolean primaryKeyAfterLoad) throws SQLException {
        for (TargetColumn column : table.columns()) {
            if (column.sequence() != null && column.identity() == null) {
                execute(target, TargetSql.createSequence(column.sequence()));
            }
        }
        execute(target, TargetSql.createTable(table, !primaryKeyAfterLoad));
        for (TargetTable.TargetPartition partition : table.partitions()) {
            execute(target, TargetSql.createPartition(partition));
        }
        for (TargetColumn column : table.columns()) {
            if (column.sequence() != null && column.identity() == null && column.sequence().ownedByColumn()) {
                execute(target, TargetSql.ownSequence(column.sequence(), table.name(), column.name()));
            }
        }
    }

    /** Dependencies first, so each CREATE finds the types it refers to. */
    private static void addWithDependencies(UserType type, Set<UserType> ordered) {
        for (UserType dependency : type.dependencies()) {
            addWithDependencies(dependency, ordered);
        }
        ordered.add(type);
    }

    private static Map<TableName, Long> existingTables(Connection target, Set<String> schemas, Set<TableName> selected,
                                                      List<Problem> problems)
            throws SQLException {
        Map<TableName, Long> existing = new HashMap<>();
        try (PreparedStatement statement = target.prepareStatement(RELATIONS_SQL)) {
            statement.setArray(1, target.createArrayOf("text", schemas.toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    TableName name = new TableName(rows.getString(1), rows.getString(2));
                    if (!selected.contains(name)) {
                        continue;
                    }
                    String kind = rows.getString(4);
                    if (!"r".equals(kind) && !"p".equals(kind)) {
                        problems.add(new Problem(FailureCategory.SCHEMA, "the target already has " + name
                                + " and it is not a table (relkind " + kind + "): rename or drop it, or exclude the table"));
                        continue;
                    }
                    existing.put(name, rows.getLong(3));
                }
            }
        }
        // Sorted, so the statements and messages built from it are the same from run to run.
        return new TreeMap<>(existing);
    }

    private static String[] oidArray(Collection<Long> oids) {
        return oids.stream().map(String::valueOf).toArray(String[]::new);
    }

    private static List<ForeignKey> foreignKeys(Connection target, Collection<Long> oids) throws SQLException {
        List<ForeignKey> keys = new ArrayList<>();
        if (oids.isEmpty()) {
            return keys;
        }
        try (PreparedStatement statement = target.prepareStatement(FOREIGN_KEYS_SQL)) {
            statement.setArray(1, target.createArrayOf("text", oidArray(oids)));
            statement.setArray(2, target.createArrayOf("text", oidArray(oids)));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    keys.add(new ForeignKey(rows.getString(1), new TableName(rows.getString(2), rows.getString(3)),
                            new TableName(rows.getString(4), rows.getString(5))));
                }
            }
        }
        return keys;
    }

    private static List<String> dependentViews(Connection target, Map<TableName, Long> existing, Set<TableName> selected)
            throws SQLException {
        List<String> conflicts = new ArrayList<>();
        if (existing.isEmpty()) {
            return conflicts;
        }
        Map<Long, TableName> byOid = new HashMap<>();
        existing.forEach((name, oid) -> byOid.put(oid, name));
        try (PreparedStatement statement = target.prepareStatement(DEPENDENT_VIEWS_SQL)) {
            statement.setArray(1, target.createArrayOf("text", oidArray(existing.values())));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    TableName view = new TableName(rows.getString(1), rows.getString(2));
                    if (!selected.contains(view)) {
                        conflicts.add("view " + view + " depends on table " + byOid.get(rows.getLong(3)));
                    }
                }
            }
        }
        return conflicts;
    }

    /**
     * The problems of kept tables whose columns cannot take the source's rows; and, into
     * {@code typeDifferences}, each kept column whose type is not the source column's, as
     * {@code name source-type -> kept-type}: its values are parsed into the kept type, which may refuse
     * them (the data-error policy then decides) or hold them differently.
     */
    private static Optional<Problem> checkColumns(Connection target, Map<TableName, Long> existing,
                                                  Map<TableName, TargetTable> selected, Map<TableName, List<String>> typeDifferences)
            throws SQLException {
        if (existing.isEmpty()) {
            return Optional.empty();
        }
        Map<Long, Map<String, boolean[]>> columnsByOid = new HashMap<>();
        Map<Long, Map<String, String>> typesByOid = new HashMap<>();
        try (PreparedStatement statement = target.prepareStatement(COLUMNS_SQL)) {
            statement.setArray(1, target.createArrayOf("text", oidArray(existing.values())));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    columnsByOid.computeIfAbsent(rows.getLong(1), key -> new LinkedHashMap<>())
                            .put(rows.getString(2), new boolean[] {rows.getBoolean(3), rows.getBoolean(4)});
                    typesByOid.computeIfAbsent(rows.getLong(1), key -> new HashMap<>()).put(rows.getString(2), rows.getString(5));
                }
            }
        }
        List<String> problems = new ArrayList<>();
        for (Map.Entry<TableName, Long> entry : existing.entrySet()) {
            Map<String, boolean[]> targetColumns = columnsByOid.getOrDefault(entry.getValue(), Map.of());
            TargetTable table = selected.get(entry.getKey());
            Map<String, String> keptTypes = typesByOid.getOrDefault(entry.getValue(), Map.of());
            List<String> differences = new ArrayList<>();
            for (TargetColumn column : table.columns()) {
                String kept = keptTypes.get(column.name());
                String from = table.source().columns().stream().filter(candidate -> candidate.name().equals(column.sourceName()))
                        .map(SourceColumn::typeName).findFirst().orElse(null);
                if (!column.generated() && kept != null && from != null && !from.equals(kept)) {
                    differences.add(column.name() + " " + from + " -> " + kept);
                }
            }
            if (!differences.isEmpty()) {
                typeDifferences.put(entry.getKey(), differences);
                LOG.warn("{} is kept with column types other than the source's: {}; each value is parsed into the kept"
                        + " type, which may refuse it (errors.data-error-policy) or hold it differently", entry.getKey(),
                        String.join(", ", differences));
            }
            Set<String> sourceColumns = new HashSet<>(table.dataColumnNames());
            List<String> missing = table.dataColumnNames().stream()
                    .filter(name -> !targetColumns.containsKey(name)).toList();
            if (!missing.isEmpty()) {
                problems.add("target table " + entry.getKey() + " has no column " + String.join(", ", missing)
                        + " that the source table " + table.source().name() + " has");
            }
            List<String> unfillable = targetColumns.entrySet().stream()
                    .filter(column -> !sourceColumns.contains(column.getKey()) && column.getValue()[0] && !column.getValue()[1])
                    .map(Map.Entry::getKey).toList();
            if (!unfillable.isEmpty()) {
                problems.add("target table " + entry.getKey() + " has NOT NULL column " + String.join(", ", unfillable)
                        + " without a default, which the source does not have");
            }
        }
        if (!problems.isEmpty()) {
            return Optional.of(new Problem(FailureCategory.SCHEMA, String.join("; ", problems)
                    + ": change the target tables to match, exclude these tables, or use load.target-table-prep-mode"
                    + " = DROP_AND_CREATE"));
        }
        return Optional.empty();
    }

    /** Collations the columns of tables to be created have, which the target lacks: one problem for each. */
    private static List<Problem> missingCollations(Connection target, List<TargetTable> created) throws SQLException {
        Map<Collation, List<String>> users = new LinkedHashMap<>();
        for (TargetTable table : created) {
            for (TargetColumn column : table.columns()) {
                if (column.collation() != null) {
                    users.computeIfAbsent(column.collation(), key -> new ArrayList<>()).add(column.name() + " of table " + table.name());
                }
            }
        }
        List<Problem> problems = new ArrayList<>();
        for (Map.Entry<Collation, List<String>> entry : users.entrySet()) {
            Collation collation = entry.getKey();
            try (PreparedStatement statement = target.prepareStatement("""
                    SELECT 1 FROM pg_catalog.pg_collation c JOIN pg_catalog.pg_namespace n ON n.oid = c.collnamespace
                    WHERE n.nspname = ? AND c.collname = ?
                      AND c.collencoding IN (-1, (SELECT encoding FROM pg_catalog.pg_database WHERE datname = current_database()))
                    """)) {
                statement.setString(1, collation.schema());
                statement.setString(2, collation.name());
                try (ResultSet rows = statement.executeQuery()) {
                    if (!rows.next()) {
                        List<String> columns = entry.getValue();
                        problems.add(Problem.preflight((columns.size() == 1 ? "column " + columns.get(0) + " has"
                                : "columns " + String.join(", ", columns) + " have") + " collation "
                                + collation + ", which the target database does not have: create it there first (CREATE COLLATION "
                                + collation.quoted() + " " + collation.definition() + ", as the source has it), or exclude the table"));
                    }
                }
            }
        }
        return problems;
    }

    /**
     * Generated columns of tables to be created that call a function of the source's own which the target
     * lacks (pg-fullload copies no functions): one problem for each.
     */
    private static List<Problem> missingFunctions(Connection target, List<TargetTable> created) throws SQLException {
        List<Problem> problems = new ArrayList<>();
        for (TargetTable table : created) {
            for (TargetColumn column : table.columns()) {
                for (FunctionName function : column.generatedFunctions()) {
                    if (!functionExists(target, function)) {
                        problems.add(Problem.preflight("generated column " + column.name() + " of table " + table.name()
                                + " calls the function " + function + ", which the target database does not have (pg-fullload"
                                + " copies no functions): create it in the target first, with the same schema, name and argument"
                                + " types, or exclude the table"));
                    }
                }
            }
        }
        return problems;
    }

    /**
     * User types to be created whose definition names a function of the source's own that the target
     * lacks (a range type's canonical or subtype-difference function): one problem for each.
     */
    private static List<Problem> missingTypeFunctions(Connection target, List<TargetTable> tables) throws SQLException {
        List<Problem> problems = new ArrayList<>();
        for (UserType type : userTypes(tables)) {
            if (type.functions().isEmpty() || typeExists(target, type)) {
                continue;
            }
            List<String> users = tables.stream().filter(table -> userTypes(List.of(table)).contains(type))
                    .map(table -> table.name().toString()).toList();
            for (Map.Entry<String, FunctionName> function : type.functions().entrySet()) {
                if (!functionExists(target, function.getValue())) {
                    problems.add(Problem.preflight(type + " has the " + function.getKey() + " function " + function.getValue()
                            + ", which the target database does not have, and pg-fullload copies no functions: create the"
                            + " function and then the type in the target first (a type the target has is used as it is),"
                            + " or exclude the tables that use it (" + String.join(", ", users) + ")"));
                }
            }
        }
        return problems;
    }

    /**
     * The target has {@code function}: same schema, name and argument types (a type it lacks matches
     * nothing). A target older than 9.6, whose to_regtype takes no text, cannot tell without an error,
     * and is taken to have it.
     */
    static boolean functionExists(Connection target, FunctionName function) throws SQLException {
        if (Preflight.serverVersion(target) < 90600) {
            return true;
        }
        try (PreparedStatement statement = target.prepareStatement("""
                SELECT 1 FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname = ? AND p.proname = ?
                  -- proargtypes counts from 0: its elements, not the array, compare.
                  AND ARRAY(SELECT unnest(p.proargtypes::pg_catalog.oid[]))
                      = ARRAY(SELECT coalesce(pg_catalog.to_regtype(u.type)::pg_catalog.oid, 0)
                              FROM unnest(?::text[]) WITH ORDINALITY AS u(type, position) ORDER BY u.position)
                """)) {
            statement.setString(1, function.schema());
            statement.setString(2, function.name());
            statement.setArray(3, target.createArrayOf("text", function.argumentTypes().toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static boolean schemaExists(Connection target, String schema) throws SQLException {
        try (PreparedStatement statement = target.prepareStatement(
                "SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?")) {
            statement.setString(1, schema);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    static boolean typeExists(Connection target, UserType type) throws SQLException {
        try (PreparedStatement statement = target.prepareStatement("""
                SELECT 1 FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
                WHERE n.nspname = ? AND t.typname = ?
                """)) {
            statement.setString(1, type.schema());
            statement.setString(2, type.name());
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static void execute(Connection target, String sql) throws SQLException {
        LOG.debug("Target: {}", sql);
        try (Statement statement = target.createStatement()) {
            statement.execute(sql);
        }
    }

    /** A check that depends on the target's tables, made before preparation changes anything. */
    @FunctionalInterface
    public interface BeforeChanges {

        /**
         * @param kept the selected tables that exist and keep their definition (none under DROP_AND_CREATE)
         * @param foreignKeys the foreign keys among the selected tables that the target keeps
         */
        void check(Set<TableName> kept, List<ForeignKey> foreignKeys) throws SQLException;
    }

    /**
     * What preparation would find.
     *
     * @param existing the selected tables the target has, with their oids
     * @param kept the existing tables that keep their definition (none under DROP_AND_CREATE)
     * @param foreignKeys the foreign keys among the selected tables that the target keeps
     * @param problems every reason preparation would refuse; empty when it can go ahead
     */
    /** @param typeDifferences for each kept table whose column types are not the source's, those columns */
    public record Inspection(Map<TableName, Long> existing, Set<TableName> kept, List<ForeignKey> foreignKeys,
                             List<Problem> problems, Map<TableName, List<String>> typeDifferences) {

        public Inspection {
            existing = java.util.Collections.unmodifiableMap(new TreeMap<>(existing));
            kept = Set.copyOf(kept);
            foreignKeys = List.copyOf(foreignKeys);
            problems = List.copyOf(problems);
            typeDifferences = Map.copyOf(typeDifferences);
        }
    }

    /**
     * What preparation found and did.
     *
     * @param createdTypes the user types it created (dependencies first)
     */
    public record Preparation(Set<TableName> existed, Set<TableName> created, List<ForeignKey> foreignKeys,
                              List<String> actions, Set<UserType> createdTypes) {

        public Preparation {
            existed = Set.copyOf(existed);
            created = Set.copyOf(created);
            foreignKeys = List.copyOf(foreignKeys);
            actions = List.copyOf(actions);
            createdTypes = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(createdTypes));
        }
    }
}
