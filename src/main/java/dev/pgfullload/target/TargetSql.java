package dev.pgfullload.target;

import dev.pgfullload.schema.TargetColumn;
import dev.pgfullload.schema.TargetTable;
import dev.pgfullload.source.TableName;
import dev.pgfullload.source.UserType;
import dev.pgfullload.source.SequenceSpec;
import dev.pgfullload.source.ConstraintSpec;

import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

import static dev.pgfullload.schema.Identifiers.quote;

/** Every statement pg-fullload sends to the target PostgreSQL, built in one place from quoted names. */
public final class TargetSql {

    private TargetSql() {
    }

    public static String createSchema(String schema) {
        return "CREATE SCHEMA IF NOT EXISTS " + quote(schema);
    }

    public static String createType(UserType type) {
        String keyword = switch (type.kind()) {
            case ENUM, COMPOSITE, RANGE -> "CREATE TYPE ";
            case DOMAIN -> "CREATE DOMAIN ";
        };
        return keyword + quote(type.schema()) + "." + quote(type.name()) + " " + type.definition();
    }

    /** CREATE TABLE with the columns, their defaults, identity and generation, and the table's own CHECK constraints. */
    public static String createTable(TargetTable table, boolean withPrimaryKey) {
        StringBuilder sql = new StringBuilder("CREATE TABLE ").append(table.name().quoted()).append(" (");
        List<TargetColumn> columns = table.columns();
        for (int i = 0; i < columns.size(); i++) {
            TargetColumn column = columns.get(i);
            sql.append(i == 0 ? "\n    " : ",\n    ").append(quote(column.name())).append(' ').append(column.typeName());
            if (column.collation() != null) {
                sql.append(" COLLATE ").append(column.collation().quoted());
            }
            if (column.generated()) {
                sql.append(" GENERATED ALWAYS AS (").append(column.generatedExpression()).append(") STORED");
            } else if (column.identity() != null) {
                sql.append(" GENERATED ").append(column.identity()).append(" AS IDENTITY");
                if (column.sequence() != null) {
                    sql.append(" (SEQUENCE NAME ").append(column.sequence().qualifiedName().quoted()).append(' ')
                            .append(column.sequence().options()).append(')');
                }
            } else if (column.defaultExpression() != null) {
                sql.append(" DEFAULT ").append(column.defaultExpression());
            }
            if (column.notNull()) {
                sql.append(" NOT NULL");
            }
        }
        for (TargetTable.TargetConstraint constraint : table.constraints()) {
            boolean own = constraint.table().equals(table.name());
            // A NOT VALID check comes after the rows (PostLoad): created now, it would refuse rows the source holds.
            if (constraint.inlineCheck(table.name()) || own && withPrimaryKey && constraint.kind() == ConstraintSpec.Kind.PRIMARY_KEY) {
                sql.append(",\n    CONSTRAINT ").append(quote(constraint.name())).append(' ').append(constraint.definition());
            }
        }
        if (withPrimaryKey && !table.primaryKey().isEmpty() && table.constraints().stream()
                .noneMatch(constraint -> constraint.kind() == ConstraintSpec.Kind.PRIMARY_KEY && constraint.table().equals(table.name()))) {
            sql.append(",\n    PRIMARY KEY (").append(quotedList(table.primaryKey())).append(')');
        }
        sql.append("\n)");
        if (table.partitionKey() != null) {
            sql.append(" PARTITION BY ").append(table.partitionKey());
        }
        return sql.toString();
    }

    public static String createTable(TargetTable table) {
        return createTable(table, true);
    }

    public static String createPartition(TargetTable.TargetPartition partition) {
        return "CREATE TABLE " + partition.name().quoted() + " PARTITION OF " + partition.parent().quoted() + " "
                + partition.bound() + (partition.partitionKey() == null ? "" : " PARTITION BY " + partition.partitionKey());
    }

    public static String createSequence(SequenceSpec sequence) {
        return "CREATE SEQUENCE IF NOT EXISTS " + sequence.qualifiedName().quoted() + " AS " + sequence.dataType() + " "
                + sequence.options();
    }

    public static String ownSequence(SequenceSpec sequence, TableName table, String column) {
        return "ALTER SEQUENCE " + sequence.qualifiedName().quoted() + " OWNED BY " + table.quoted() + "." + quote(column);
    }

    public static String addDomainConstraint(UserType domain, UserType.Check check) {
        return "ALTER DOMAIN " + quote(domain.schema()) + "." + quote(domain.name()) + " ADD CONSTRAINT " + quote(check.name())
                + " " + check.definition();
    }

    public static String addConstraint(TableName table, String name, String definition) {
        return "ALTER TABLE " + table.quoted() + " ADD CONSTRAINT " + quote(name) + " " + definition;
    }

    public static String dropTables(Collection<TableName> tables) {
        return "DROP TABLE " + tables.stream().map(TableName::quoted).collect(Collectors.joining(", "));
    }

    /** One statement for all, so tables linked by foreign keys can be emptied together. */
    public static String truncateTables(Collection<TableName> tables) {
        return "TRUNCATE TABLE " + tables.stream().map(TableName::quoted).collect(Collectors.joining(", "));
    }

    public static String disableTriggers(TableName table) {
        return "ALTER TABLE " + table.quoted() + " DISABLE TRIGGER ALL";
    }

    public static String enableTriggers(TableName table) {
        return "ALTER TABLE " + table.quoted() + " ENABLE TRIGGER ALL";
    }

    public static String copyIn(TableName table, List<String> columns) {
        return copyIn(table, columns, false);
    }

    /** With no columns (a table of none, or only generated ones), COPY takes the table's rows with no column list. */
    public static String copyIn(TableName table, List<String> columns, boolean binary) {
        return "COPY " + table.quoted() + (columns.isEmpty() ? "" : " (" + quotedList(columns) + ")") + " FROM STDIN"
                + (binary ? " (FORMAT binary)" : "");
    }

    public static String quotedList(List<String> names) {
        return names.stream().map(name -> quote(name)).collect(Collectors.joining(", "));
    }
}
