package dev.pgfullload.write;

import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/** How one DataFrame column is written into the COPY stream, decided once per table from the Spark type. */
public enum CopyFieldType {
    STRING,
    BYTE,
    SHORT,
    INT,
    LONG,
    BOOLEAN,
    FLOAT,
    DOUBLE,
    DECIMAL,
    BINARY,
    DATE,
    TIMESTAMP,
    TIMESTAMP_NTZ;

    public static CopyFieldType of(DataType type) {
        if (type instanceof StringType) {
            return STRING;
        } else if (type instanceof ByteType) {
            return BYTE;
        } else if (type instanceof ShortType) {
            return SHORT;
        } else if (type instanceof IntegerType) {
            return INT;
        } else if (type instanceof LongType) {
            return LONG;
        } else if (type instanceof BooleanType) {
            return BOOLEAN;
        } else if (type instanceof FloatType) {
            return FLOAT;
        } else if (type instanceof DoubleType) {
            return DOUBLE;
        } else if (type instanceof DecimalType) {
            return DECIMAL;
        } else if (type instanceof BinaryType) {
            return BINARY;
        } else if (type instanceof DateType) {
            return DATE;
        } else if (type instanceof TimestampType) {
            return TIMESTAMP;
        } else if (type instanceof TimestampNTZType) {
            return TIMESTAMP_NTZ;
        }
        throw new IllegalArgumentException("no COPY encoding for Spark type " + type.simpleString());
    }
}
