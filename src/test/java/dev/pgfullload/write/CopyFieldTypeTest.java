package dev.pgfullload.write;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CopyFieldTypeTest {

    @Test
    void eachSparkTypeHasItsEncoding() {
        Map<DataType, CopyFieldType> expected = new LinkedHashMap<>();
        expected.put(DataTypes.StringType, CopyFieldType.STRING);
        expected.put(DataTypes.ByteType, CopyFieldType.BYTE);
        expected.put(DataTypes.ShortType, CopyFieldType.SHORT);
        expected.put(DataTypes.IntegerType, CopyFieldType.INT);
        expected.put(DataTypes.LongType, CopyFieldType.LONG);
        expected.put(DataTypes.BooleanType, CopyFieldType.BOOLEAN);
        expected.put(DataTypes.FloatType, CopyFieldType.FLOAT);
        expected.put(DataTypes.DoubleType, CopyFieldType.DOUBLE);
        expected.put(DataTypes.createDecimalType(38, 10), CopyFieldType.DECIMAL);
        expected.put(DataTypes.BinaryType, CopyFieldType.BINARY);
        expected.put(DataTypes.DateType, CopyFieldType.DATE);
        expected.put(DataTypes.TimestampType, CopyFieldType.TIMESTAMP);
        expected.put(DataTypes.TimestampNTZType, CopyFieldType.TIMESTAMP_NTZ);
        Map<DataType, CopyFieldType> actual = new LinkedHashMap<>();
        expected.keySet().forEach(type -> actual.put(type, CopyFieldType.of(type)));
        assertEquals(expected, actual);
    }

    @Test
    void anUnsupportedTypeIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CopyFieldType.of(DataTypes.createArrayType(DataTypes.IntegerType)));
        assertEquals("no COPY encoding for Spark type array<int>", e.getMessage());
    }
}
