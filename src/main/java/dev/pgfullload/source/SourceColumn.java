package dev.pgfullload.source;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A column as the source catalog describes it.
 *
 * @param typeName the type as the source spells it, schema-qualified and quoted where needed, with
 *                 its declared array dimensions (PostgreSQL: {@code format_type}, e.g. {@code numeric(12,2)},
 *                 {@code "Sales".mood[]}, {@code integer[][]})
 * @param kind how its values travel, which decides how it is read
 * @param userType a user-defined type the column needs in the target (an enum, a domain, a composite), or null
 * @param defaultExpression the column default as SQL, or null (none, or one that calls the source's own functions)
 * @param identity {@code ALWAYS} or {@code BY DEFAULT} for an identity column, else null
 * @param sequence the sequence behind a serial default or an identity column, or null
 * @param generatedExpression the expression of a stored generated column (not read, not written), or null
 * @param extension the extension that owns the column's type (citext, hstore, PostGIS ...), or null
 * @param binaryPortable its binary COPY form reads back in another PostgreSQL of the same type: a built-in
 *                       type, an array or range of one, an enum, or a domain over one (money, whose binary
 *                       form depends on lc_monetary, and types that embed type OIDs are not)
 * @param collation the column's collation where it is not its type's default, or null
 * @param generatedFunctions the source's own functions (outside {@code pg_catalog}) its generated expression calls
 */
public record SourceColumn(String name, int position, String typeName, ColumnKind kind, boolean notNull, UserType userType,
                           String defaultExpression, String identity, SequenceSpec sequence, String generatedExpression,
                           String extension, boolean binaryPortable, Collation collation, List<FunctionName> generatedFunctions) {

    public SourceColumn {
        requireNonNull(name, "name is null");
        requireNonNull(typeName, "typeName is null");
        requireNonNull(kind, "kind is null");
        generatedFunctions = generatedFunctions == null ? List.of() : List.copyOf(generatedFunctions);
    }

    /** A plain column: no default, identity, sequence, generation or extension type. */
    public SourceColumn(String name, int position, String typeName, ColumnKind kind, boolean notNull, UserType userType) {
        this(name, position, typeName, kind, notNull, userType, null, null, null, null, null, false, null, List.of());
    }

    public SourceColumn(String name, int position, String typeName, ColumnKind kind, boolean notNull, UserType userType,
                        String defaultExpression, String identity, SequenceSpec sequence, String generatedExpression,
                        String extension, boolean binaryPortable) {
        this(name, position, typeName, kind, notNull, userType, defaultExpression, identity, sequence, generatedExpression,
                extension, binaryPortable, null, List.of());
    }

    public boolean generated() {
        return generatedExpression != null;
    }

    /**
     * Read in a binary form (a Spark binary value) by a binary COPY: a {@link ColumnKind#TEXT_FORM} column in
     * its own type's form, and a json or jsonb array, which becomes a text array, in text[]'s.
     */
    public boolean readAsBinary(boolean binary) {
        return binary && (kind == ColumnKind.TEXT_FORM || (kind == ColumnKind.JSON && typeName.endsWith("[]")));
    }
}
