package dev.pgfullload.schema;

import dev.pgfullload.error.FailureCategory;
import dev.pgfullload.error.FullLoadException;
import dev.pgfullload.source.ColumnKind;
import dev.pgfullload.source.ConstraintSpec;
import dev.pgfullload.source.FunctionName;
import dev.pgfullload.source.IndexSpec;
import dev.pgfullload.source.PartitionSpec;
import dev.pgfullload.source.SequenceSpec;
import dev.pgfullload.source.SourceColumn;
import dev.pgfullload.source.SourceTable;
import dev.pgfullload.source.TableName;
import dev.pgfullload.source.UserType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns a source table into its target table: json and jsonb become text when {@code json-as-text}
 * is on (the one intended type change for a PostgreSQL source); every other column keeps the source
 * catalog's type, default, identity and generation; names follow {@code transform.identifier-case}.
 * Table-mapping rules (renames, type changes) belong here too.
 */
public final class SchemaTransformer {

    /** PostgreSQL truncates longer identifiers silently; pg-fullload refuses them instead. */
    static final int MAX_IDENTIFIER_BYTES = 63;

    private final boolean jsonAsText;
    private final IdentifierCase identifierCase;
    private final boolean extensionTypesAsText;
    private final Set<String> targetExtensions;

    public SchemaTransformer(boolean jsonAsText) {
        this(jsonAsText, IdentifierCase.PRESERVE, false, Set.of());
    }

    /**
     * @param targetExtensions the extensions installed in the target: a column whose type comes from
     *                         one of them keeps its type
     */
    public SchemaTransformer(boolean jsonAsText, IdentifierCase identifierCase, boolean extensionTypesAsText,
                             Set<String> targetExtensions) {
        this.jsonAsText = jsonAsText;
        this.identifierCase = identifierCase;
        this.extensionTypesAsText = extensionTypesAsText;
        this.targetExtensions = Set.copyOf(targetExtensions);
    }

    public TableName targetName(TableName source) {
        return new TableName(name(source.schema()), name(source.name()));
    }

    public TargetTable transform(SourceTable source) {
        List<TargetColumn> columns = new ArrayList<>();
        Set<UserType> userTypes = new LinkedHashSet<>();
        Set<String> names = new HashSet<>();
        for (SourceColumn column : source.columns()) {
            String name = name(column.name());
            if (!names.add(name)) {
                throw new FullLoadException(FailureCategory.SCHEMA, "table " + source.name() + " has two columns that become "
                        + name + " in the target under transform.identifier-case = " + identifierCase + ": use PRESERVE");
            }
            // A user type's name folds like any other name; built-in type names print unquoted and lower-case.
            String typeName = identifierCase.rewrite(column.typeName());
            boolean changed = false;
            if (jsonAsText && column.kind() == ColumnKind.JSON) {
                typeName = "text" + arraySuffix(column.typeName());
                changed = true;
            } else if (column.extension() != null && !targetExtensions.contains(column.extension())) {
                if (!extensionTypesAsText) {
                    throw new FullLoadException(FailureCategory.SCHEMA, "column " + column.name() + " of " + source.name()
                            + " has type " + column.typeName() + " from the extension " + column.extension()
                            + ", which the target database does not have: run CREATE EXTENSION " + column.extension()
                            + " in the target, or set transform.extension-types-as-text = true to load it as text");
                }
                typeName = "text" + arraySuffix(column.typeName());
                changed = true;
            }
            columns.add(new TargetColumn(name, typeName, column.notNull(), column.kind(), changed,
                    identifierCase.rewrite(column.defaultExpression()), column.identity(), sequence(column.sequence()),
                    identifierCase.rewrite(column.generatedExpression()), column.name(), column.collation(),
                    column.generatedFunctions().stream().map(this::function).toList()));
            if (column.userType() != null && !changed) {
                userTypes.add(userType(column.userType()));
            }
        }
        List<TargetTable.TargetPartition> partitions = new ArrayList<>();
        for (PartitionSpec partition : source.partitions()) {
            partitions.add(new TargetTable.TargetPartition(targetName(partition.name()), targetName(partition.parent()),
                    identifierCase.rewrite(partition.bound()), identifierCase.rewrite(partition.partitionKey())));
        }
        List<TargetTable.TargetConstraint> constraints = new ArrayList<>();
        for (ConstraintSpec constraint : source.constraints()) {
            constraints.add(new TargetTable.TargetConstraint(targetName(constraint.table()), name(constraint.name()),
                    constraint.kind(), identifierCase.rewrite(constraint.definition()), constraint.valid()));
        }
        List<String> indexes = new ArrayList<>();
        for (IndexSpec index : source.indexes()) {
            indexes.add(identifierCase.rewrite(index.definition()));
        }
        return new TargetTable(source, targetName(source.name()), columns,
                source.primaryKey().stream().map(this::name).toList(), List.copyOf(userTypes),
                identifierCase.rewrite(source.partitionKey()), partitions, constraints, indexes);
    }

    /** The type as the target gets it: its schema, name and definition (and those of its dependencies) folded. */
    private UserType userType(UserType type) {
        if (identifierCase == IdentifierCase.PRESERVE) {
            return type;
        }
        return new UserType(type.kind(), name(type.schema()), name(type.name()), identifierCase.rewrite(type.definition()),
                type.dependencies().stream().map(this::userType).toList(), type.notValidChecks().stream()
                .map(check -> new UserType.Check(name(check.name()), identifierCase.rewrite(check.definition()))).toList(),
                type.functions().entrySet().stream().collect(java.util.stream.Collectors.toMap(java.util.Map.Entry::getKey,
                        entry -> function(entry.getValue()), (first, second) -> first, java.util.LinkedHashMap::new)));
    }

    /** A function as the target's definitions name it (a quoted name in them folds like any other). */
    private FunctionName function(FunctionName function) {
        if (identifierCase == IdentifierCase.PRESERVE) {
            return function;
        }
        return new FunctionName(identifierCase.apply(function.schema()), identifierCase.apply(function.name()),
                function.argumentTypes().stream().map(identifierCase::rewrite).toList());
    }

    /** The sequence behind a serial or identity column, named as in the target (defaults name it the same way). */
    private SequenceSpec sequence(SequenceSpec sequence) {
        if (sequence == null || identifierCase == IdentifierCase.PRESERVE) {
            return sequence;
        }
        return new SequenceSpec(name(sequence.schema()), name(sequence.name()), sequence.dataType(), sequence.options(),
                sequence.ownedByColumn());
    }

    private String name(String sourceName) {
        String name = identifierCase.apply(sourceName);
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_IDENTIFIER_BYTES) {
            throw new FullLoadException(FailureCategory.SCHEMA, "the name " + name + " is longer than PostgreSQL's "
                    + MAX_IDENTIFIER_BYTES + "-byte limit in the target, which would cut it short: use transform.identifier-case = PRESERVE");
        }
        return name;
    }

    private static String arraySuffix(String typeName) {
        StringBuilder suffix = new StringBuilder();
        String rest = typeName;
        while (rest.endsWith("[]")) {
            suffix.append("[]");
            rest = rest.substring(0, rest.length() - 2);
        }
        return suffix.toString();
    }
}
