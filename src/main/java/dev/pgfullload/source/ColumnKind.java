package dev.pgfullload.source;

/**
 * How a source column's values travel from the source to the COPY stream. Types that Spark's JDBC
 * source carries exactly are read natively; everything else travels as the source's own text form,
 * which the target parses back into the same type, so nothing is rounded or reformatted on the way.
 */
public enum ColumnKind {
    SMALLINT,
    INTEGER,
    BIGINT,
    BOOLEAN,
    REAL,
    DOUBLE,
    STRING,
    BINARY,
    /** json or jsonb, or an array of them: read as its text; becomes a text (or text[]) column when json-as-text is on. */
    JSON,
    /** money: read through numeric so the text does not depend on the servers' lc_monetary. */
    MONEY,
    /** Any other type (numeric, dates and times, arrays, enums, network, geometric ...): read as text. */
    TEXT_FORM
}
