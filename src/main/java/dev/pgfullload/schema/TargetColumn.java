package dev.pgfullload.schema;

import dev.pgfullload.source.Collation;
import dev.pgfullload.source.ColumnKind;
import dev.pgfullload.source.FunctionName;
import dev.pgfullload.source.SequenceSpec;

import java.io.Serializable;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A column of the target table: its name, the PostgreSQL type it has there, and what its definition
 * carries over from the source.
 *
 * @param kind how its values travel (see {@link ColumnKind})
 * @param typeChanged true when the target type differs from the source's (json as text, an extension type as text)
 * @param defaultExpression the column default, or null
 * @param identity {@code ALWAYS} or {@code BY DEFAULT} for an identity column, else null
 * @param sequence the sequence behind a serial default or an identity column, or null
 * @param generatedExpression the expression of a stored generated column, or null
 * @param sourceName the source column it is loaded from
 * @param collation its collation where it is not its type's default, or null
 * @param generatedFunctions the source's own functions its generated expression calls, which the target must have
 */
public record TargetColumn(String name, String typeName, boolean notNull, ColumnKind kind, boolean typeChanged,
                           String defaultExpression, String identity, SequenceSpec sequence, String generatedExpression,
                           String sourceName, Collation collation, List<FunctionName> generatedFunctions) implements Serializable {

    public TargetColumn {
        requireNonNull(name, "name is null");
        requireNonNull(typeName, "typeName is null");
        requireNonNull(kind, "kind is null");
        if (sourceName == null) {
            sourceName = name;
        }
        generatedFunctions = generatedFunctions == null ? List.of() : List.copyOf(generatedFunctions);
    }

    public TargetColumn(String name, String typeName, boolean notNull, ColumnKind kind, boolean typeChanged) {
        this(name, typeName, notNull, kind, typeChanged, null, null, null, null, name, null, List.of());
    }

    public TargetColumn(String name, String typeName, boolean notNull, ColumnKind kind, boolean typeChanged,
                        String defaultExpression, String identity, SequenceSpec sequence, String generatedExpression,
                        String sourceName) {
        this(name, typeName, notNull, kind, typeChanged, defaultExpression, identity, sequence, generatedExpression, sourceName,
                null, List.of());
    }

    public boolean generated() {
        return generatedExpression != null;
    }
}
