package dev.pgfullload.target;

import dev.pgfullload.config.PrepMode;
import dev.pgfullload.config.TriggerMode;
import dev.pgfullload.error.Problem;
import dev.pgfullload.schema.TargetTable;
import dev.pgfullload.source.ForeignKey;
import dev.pgfullload.source.TableName;
import dev.pgfullload.source.UserType;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static dev.pgfullload.schema.Identifiers.quote;
import static java.util.Objects.requireNonNull;

/**
 * The target privileges the chosen settings need, each checked before anything is written, each
 * missing one reported with the statement that grants it: CREATE on the database for every schema the
 * run creates (the control schema included); USAGE on every schema it uses and CREATE where it creates
 * tables, types or control tables; ownership of the tables DROP_AND_CREATE drops and DISABLE_TRIGGERS
 * alters; INSERT on every table it keeps, TRUNCATE under TRUNCATE_BEFORE_LOAD, SELECT where validation,
 * the foreign key check or the sequence reset reads a kept table, REFERENCES on a kept table a created
 * table's foreign key will reference, UPDATE on the sequences it resets; and SELECT, INSERT, UPDATE,
 * DELETE on existing control tables. A superuser needs nothing. The privilege functions answer for the
 * current user with the roles it inherits, as PostgreSQL itself decides.
 *
 * <p>CONNECT and LOGIN are checked by connecting ({@code jdbc.Connections}) and by {@link Preflight};
 * the replica role by {@link Preflight} too, for real; a foreign key's system triggers under
 * DISABLE_TRIGGERS by {@link TriggerSwitch#checkCanDisable}.
 */
public final class PrivilegeCheck {

    private static final String RELATIONS_SQL = """
            SELECT n.nspname, c.relname, c.oid, pg_catalog.pg_get_userbyid(c.relowner),
                   pg_catalog.pg_has_role(c.relowner, 'USAGE'),
                   pg_catalog.has_table_privilege(c.oid, 'SELECT'), pg_catalog.has_table_privilege(c.oid, 'INSERT'),
                   pg_catalog.has_table_privilege(c.oid, 'UPDATE'), pg_catalog.has_table_privilege(c.oid, 'DELETE'),
                   pg_catalog.has_table_privilege(c.oid, 'TRUNCATE'), pg_catalog.has_table_privilege(c.oid, 'REFERENCES')
            FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = ANY (?) AND c.relkind IN ('r', 'p')
            """;

    /** Sequences owned by a column of the given tables (serial and identity), as the sequence reset finds them. */
    private static final String OWNED_SEQUENCES_SQL = """
            SELECT d.refobjid, sn.nspname, s.relname, pg_catalog.has_sequence_privilege(s.oid, 'UPDATE')
            FROM pg_catalog.pg_depend d
            JOIN pg_catalog.pg_class s ON s.oid = d.objid AND s.relkind = 'S'
            JOIN pg_catalog.pg_namespace sn ON sn.oid = s.relnamespace
            WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.refclassid = 'pg_catalog.pg_class'::regclass
              AND d.deptype IN ('a', 'i') AND d.refobjid = ANY (?::text[]::oid[])
            ORDER BY 2, 3
            """;

    private static final String SCHEMAS_SQL = """
            SELECT n.nspname, pg_catalog.has_schema_privilege(n.oid, 'USAGE'), pg_catalog.has_schema_privilege(n.oid, 'CREATE')
            FROM pg_catalog.pg_namespace n WHERE n.nspname = ANY (?)
            """;

    private PrivilegeCheck() {
    }

    /**
     * What the run will do, as far as privileges go.
     *
     * @param preparing false when a resumed run skips preparation: nothing is dropped, truncated or created
     * @param validates validation reads the target table back (validation.mode other than NONE)
     * @param createsForeignKeys the source's foreign keys are added to the tables the run creates (load.create-foreign-keys)
     * @param checksForeignKeys the loaded rows are checked against the foreign keys between loaded tables
     *                          (validation.foreign-keys, when the trigger mode bypassed them)
     * @param controlTables the names of the control tables, in {@code controlSchema}
     */
    public record Needs(PrepMode prepMode, TriggerMode triggerMode, boolean preparing, boolean validates,
                        boolean resetSequences, boolean createsForeignKeys, boolean checksForeignKeys,
                        String controlSchema, List<String> controlTables) {

        public Needs {
            requireNonNull(prepMode, "prepMode is null");
            requireNonNull(triggerMode, "triggerMode is null");
            requireNonNull(controlSchema, "controlSchema is null");
            controlTables = List.copyOf(controlTables);
        }
    }

    /**
     * Every privilege the run lacks on the target, with the statement that grants it.
     *
     * @param tables the selected tables as the target gets them
     * @param existing those of them that exist in the target
     * @param keptKeys the foreign keys between selected tables that the target has and keeps
     * @param sourceKeys the source's foreign keys between selected tables, by target names: the run adds
     *                   those whose referencing table it creates
     */
    public static List<Problem> check(Connection target, List<TargetTable> tables, Set<TableName> existing,
                                      List<ForeignKey> keptKeys, List<ForeignKey> sourceKeys, Needs needs)
            throws SQLException {
        String user;
        String database;
        boolean createOnDatabase;
        try (Statement statement = target.createStatement();
             ResultSet rows = statement.executeQuery("""
                     SELECT current_user, current_database(), coalesce(r.rolsuper, false),
                            pg_catalog.has_database_privilege(current_database(), 'CREATE')
                     FROM (SELECT 1) one LEFT JOIN pg_catalog.pg_roles r ON r.rolname = current_user
                     """)) {
            rows.next();
            if (rows.getBoolean(3)) {
                return List.of();
            }
            user = rows.getString(1);
            database = rows.getString(2);
            createOnDatabase = rows.getBoolean(4);
        }
        List<Problem> problems = new ArrayList<>();
        PrepMode mode = needs.prepMode();

        // What the run creates, schema by schema.
        Map<String, Set<String>> createdIn = new TreeMap<>();
        Set<String> usedSchemas = new TreeSet<>();
        List<TargetTable> toCreate = new ArrayList<>();
        for (TargetTable table : tables) {
            usedSchemas.add(table.name().schema());
            boolean creates = needs.preparing() && (mode == PrepMode.DROP_AND_CREATE || !existing.contains(table.name()));
            if (creates) {
                toCreate.add(table);
                createdIn.computeIfAbsent(table.name().schema(), key -> new LinkedHashSet<>()).add("table " + table.name());
            }
        }
        for (UserType type : TargetPreparer.userTypes(toCreate)) {
            // A created table needs the schemas of its types, to find them or to create them.
            usedSchemas.add(type.schema());
            if (!TargetPreparer.typeExists(target, type)) {
                createdIn.computeIfAbsent(type.schema(), key -> new LinkedHashSet<>()).add("type " + type.schema() + "." + type.name());
            }
        }
        Set<String> looked = new TreeSet<>(usedSchemas);
        looked.add(needs.controlSchema());
        looked.addAll(createdIn.keySet());
        Map<String, boolean[]> schemas = schemas(target, looked);
        Map<TableName, Relation> relations = relations(target, looked);

        // The control tables: created where missing, read and written where they exist.
        List<String> missingControl = needs.controlTables().stream()
                .filter(name -> !relations.containsKey(new TableName(needs.controlSchema(), name))).toList();
        if (!missingControl.isEmpty()) {
            createdIn.computeIfAbsent(needs.controlSchema(), key -> new LinkedHashSet<>()).add("the control tables");
        }
        usedSchemas.add(needs.controlSchema());

        List<String> newSchemas = createdIn.keySet().stream().filter(schema -> !schemas.containsKey(schema)).toList();
        if (!newSchemas.isEmpty() && !createOnDatabase) {
            problems.add(Problem.preflight("the target user " + user + " may not create schemas in the target database "
                    + database + ", and the run creates schema " + String.join(", schema ", newSchemas.stream()
                    .map(schema -> schema + (schema.equals(needs.controlSchema()) ? " (control.schema)" : "")).toList())
                    + ": run GRANT CREATE ON DATABASE " + quote(database) + " TO " + quote(user)));
        }
        for (String schema : usedSchemas) {
            boolean[] access = schemas.get(schema);
            if (access == null) {
                continue; // created by the run, and so its own
            }
            List<String> missing = new ArrayList<>();
            if (!access[0]) {
                missing.add("USAGE");
            }
            Set<String> created = createdIn.getOrDefault(schema, Set.of());
            if (!created.isEmpty() && !access[1]) {
                missing.add("CREATE");
            }
            if (!missing.isEmpty()) {
                boolean tablesThere = tables.stream().anyMatch(table -> table.name().schema().equals(schema));
                String why = !created.isEmpty() ? "where the run creates " + String.join(", ", created)
                        : tablesThere ? "which holds selected tables"
                        : schema.equals(needs.controlSchema()) ? "which holds the control tables (control.schema)"
                        : "which holds types the created tables use";
                problems.add(Problem.preflight("the target user " + user + " lacks " + String.join(" and ", missing)
                        + " on schema " + schema + ", " + why + ": run GRANT " + String.join(", ", missing) + " ON SCHEMA "
                        + quote(schema) + " TO " + quote(user)));
            }
        }

        List<String> controlLacks = new ArrayList<>();
        for (String name : needs.controlTables()) {
            Relation relation = relations.get(new TableName(needs.controlSchema(), name));
            if (relation != null) {
                List<String> lacks = relation.missing(List.of("SELECT", "INSERT", "UPDATE", "DELETE"));
                if (!lacks.isEmpty()) {
                    controlLacks.add(relation.name() + " (" + String.join(", ", lacks) + ")");
                }
            }
        }
        if (!controlLacks.isEmpty()) {
            problems.add(Problem.preflight("the target user " + user + " may not read and write the control tables "
                    + String.join(", ", controlLacks) + ", which record the run: run GRANT SELECT, INSERT, UPDATE, DELETE"
                    + " ON ALL TABLES IN SCHEMA " + quote(needs.controlSchema()) + " TO " + quote(user)));
        }

        // What the foreign keys after the load ask of the tables the run keeps.
        Set<TableName> created = new java.util.HashSet<>();
        toCreate.forEach(table -> created.add(table.name()));
        Map<TableName, Map<String, String>> keyNeeds = new HashMap<>();
        List<ForeignKey> added = needs.createsForeignKeys()
                ? sourceKeys.stream().filter(key -> created.contains(key.referencing())).toList() : List.of();
        for (ForeignKey key : added) {
            if (!created.contains(key.referenced())) {
                keyNeeds.computeIfAbsent(key.referenced(), name -> new LinkedHashMap<>()).merge("REFERENCES",
                        "the run adds foreign key " + key.name() + " of " + key.referencing() + " referencing it",
                        (a, b) -> a + "; " + b.substring("the run adds ".length()));
            }
        }
        if (needs.checksForeignKeys()) {
            List<ForeignKey> checked = new ArrayList<>(needs.preparing() ? keptKeys : List.of());
            checked.addAll(added);
            for (ForeignKey key : checked) {
                for (TableName end : List.of(key.referencing(), key.referenced())) {
                    if (!created.contains(end)) {
                        keyNeeds.computeIfAbsent(end, name -> new LinkedHashMap<>())
                                .putIfAbsent("SELECT", "validation.foreign-keys checks its rows against its foreign keys");
                    }
                }
            }
        }

        // The selected tables that exist.
        Map<Long, TableName> kept = new LinkedHashMap<>();
        for (TargetTable table : tables) {
            Relation relation = relations.get(table.name());
            if (relation == null || !existing.contains(table.name())) {
                continue;
            }
            if (needs.preparing() && mode == PrepMode.DROP_AND_CREATE) {
                if (!relation.owned()) {
                    problems.add(notOwner(user, relation, "load.target-table-prep-mode = DROP_AND_CREATE drops it"));
                }
                continue;
            }
            kept.put(relation.oid(), relation.name());
        }
        Map<Long, List<String[]>> sequences = needs.resetSequences() ? ownedSequences(target, kept.keySet()) : Map.of();
        for (Map.Entry<Long, TableName> entry : kept.entrySet()) {
            Relation relation = relations.get(entry.getValue());
            if (needs.triggerMode() == TriggerMode.DISABLE_TRIGGERS && !relation.owned()) {
                problems.add(notOwner(user, relation, "load.trigger-mode = DISABLE_TRIGGERS runs ALTER TABLE ... DISABLE"
                        + " TRIGGER ALL on it"));
            }
            Map<String, String> needed = new LinkedHashMap<>();
            needed.put("INSERT", "COPY loads its rows");
            if (needs.preparing() && mode == PrepMode.TRUNCATE_BEFORE_LOAD) {
                needed.put("TRUNCATE", "load.target-table-prep-mode = TRUNCATE_BEFORE_LOAD empties it");
                if (needs.validates()) {
                    needed.put("SELECT", "validation counts its rows");
                }
            }
            List<String[]> owned = sequences.getOrDefault(entry.getKey(), List.of());
            if (!owned.isEmpty()) {
                needed.merge("SELECT", "load.reset-sequences reads its largest value", (a, b) -> a + " and " + b);
            }
            keyNeeds.getOrDefault(entry.getValue(), Map.of()).forEach((privilege, why) ->
                    needed.merge(privilege, why, (a, b) -> a + " and " + b));
            List<String> lacks = relation.missing(List.copyOf(needed.keySet()));
            if (!lacks.isEmpty()) {
                problems.add(Problem.preflight("the target user " + user + " lacks " + String.join(", ",
                        lacks.stream().map(privilege -> privilege + " (" + needed.get(privilege) + ")").toList())
                        + " on table " + relation.name() + ": run GRANT " + String.join(", ", lacks) + " ON TABLE "
                        + relation.name().quoted() + " TO " + quote(user)));
            }
            for (String[] sequence : owned) {
                if (!"t".equals(sequence[2])) {
                    TableName name = new TableName(sequence[0], sequence[1]);
                    problems.add(Problem.preflight("the target user " + user + " lacks UPDATE on sequence " + name
                            + " of table " + relation.name() + ", which load.reset-sequences sets past the loaded values:"
                            + " run GRANT UPDATE ON SEQUENCE " + name.quoted() + " TO " + quote(user)
                            + ", or set load.reset-sequences = false"));
                }
            }
        }
        return problems;
    }

    private static Problem notOwner(String user, Relation relation, String why) {
        return Problem.preflight("the target user " + user + " does not own table " + relation.name() + " (its owner is "
                + relation.owner() + "), and " + why + ", which only its owner may: run ALTER TABLE "
                + relation.name().quoted() + " OWNER TO " + quote(user) + " (as " + relation.owner() + " or a superuser)");
    }

    /** USAGE and CREATE on each of the schemas that exist. */
    private static Map<String, boolean[]> schemas(Connection target, Set<String> names) throws SQLException {
        Map<String, boolean[]> schemas = new HashMap<>();
        try (PreparedStatement statement = target.prepareStatement(SCHEMAS_SQL)) {
            statement.setArray(1, target.createArrayOf("text", names.toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    schemas.put(rows.getString(1), new boolean[] {rows.getBoolean(2), rows.getBoolean(3)});
                }
            }
        }
        return schemas;
    }

    private static Map<TableName, Relation> relations(Connection target, Set<String> schemas) throws SQLException {
        Map<TableName, Relation> relations = new HashMap<>();
        try (PreparedStatement statement = target.prepareStatement(RELATIONS_SQL)) {
            statement.setArray(1, target.createArrayOf("text", schemas.toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    TableName name = new TableName(rows.getString(1), rows.getString(2));
                    Map<String, Boolean> privileges = new LinkedHashMap<>();
                    String[] names = {"SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES"};
                    for (int i = 0; i < names.length; i++) {
                        privileges.put(names[i], rows.getBoolean(6 + i));
                    }
                    relations.put(name, new Relation(name, rows.getLong(3), rows.getString(4), rows.getBoolean(5), privileges));
                }
            }
        }
        return relations;
    }

    /** Per table oid: the schema, name and whether UPDATE is granted ("t" or "f") of each sequence its columns own. */
    private static Map<Long, List<String[]>> ownedSequences(Connection target, Set<Long> tables) throws SQLException {
        Map<Long, List<String[]>> sequences = new HashMap<>();
        if (tables.isEmpty()) {
            return sequences;
        }
        try (PreparedStatement statement = target.prepareStatement(OWNED_SEQUENCES_SQL)) {
            statement.setArray(1, target.createArrayOf("text", tables.stream().map(String::valueOf).toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    sequences.computeIfAbsent(rows.getLong(1), key -> new ArrayList<>()).add(new String[] {
                            rows.getString(2), rows.getString(3), rows.getBoolean(4) ? "t" : "f"});
                }
            }
        }
        return sequences;
    }

    /** A table of the target as the current user sees it. */
    private record Relation(TableName name, long oid, String owner, boolean owned, Map<String, Boolean> privileges) {

        List<String> missing(List<String> wanted) {
            return wanted.stream().filter(privilege -> !privileges.getOrDefault(privilege, false)).toList();
        }
    }
}
