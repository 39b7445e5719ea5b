package dev.pgfullload.write;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.CatalystTypeConverters;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;

import static dev.pgfullload.write.CopyFieldType.BINARY;
import static dev.pgfullload.write.CopyFieldType.BOOLEAN;
import static dev.pgfullload.write.CopyFieldType.BYTE;
import static dev.pgfullload.write.CopyFieldType.DATE;
import static dev.pgfullload.write.CopyFieldType.DECIMAL;
import static dev.pgfullload.write.CopyFieldType.DOUBLE;
import static dev.pgfullload.write.CopyFieldType.FLOAT;
import static dev.pgfullload.write.CopyFieldType.INT;
import static dev.pgfullload.write.CopyFieldType.LONG;
import static dev.pgfullload.write.CopyFieldType.SHORT;
import static dev.pgfullload.write.CopyFieldType.STRING;
import static dev.pgfullload.write.CopyFieldType.TIMESTAMP;
import static dev.pgfullload.write.CopyFieldType.TIMESTAMP_NTZ;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CopyTextEncoderTest {

    /** Rows as Spark holds them internally (UTF8String, Decimal, days, microseconds), as the writer receives them. */
    private static InternalRow internal(Row row) {
        Object[] values = new Object[row.length()];
        for (int i = 0; i < values.length; i++) {
            values[i] = CatalystTypeConverters.convertToCatalyst(row.get(i));
        }
        return new GenericInternalRow(values);
    }

    private static String encode(CopyFieldType[] types, Row... rows) {
        CopyTextEncoder encoder = new CopyTextEncoder(types, 64);
        for (Row row : rows) {
            encoder.encode(internal(row));
        }
        return new String(encoder.buffer(), 0, encoder.length(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(CopyFieldType[] types, Row row) {
        CopyTextEncoder encoder = new CopyTextEncoder(types, 64);
        encoder.encode(internal(row));
        return Arrays.copyOf(encoder.buffer(), encoder.length());
    }

    private static CopyFieldType[] types(CopyFieldType... types) {
        return types;
    }

    @Test
    void everyFieldType() {
        Row row = RowFactory.create("text", (byte) -8, (short) 300, 42, 9_000_000_000L, true, 1.5f, -2.25d,
                new BigDecimal("12345678901234567890.000100"), new byte[] {0, (byte) 0xab, 0x7f},
                LocalDate.of(2024, 2, 29), Instant.parse("2024-03-01T12:34:56.123456Z"),
                LocalDateTime.of(2024, 3, 1, 1, 2, 3, 4_000));
        assertEquals("text\t-8\t300\t42\t9000000000\tt\t1.5\t-2.25\t12345678901234567890.000100\t\\\\x00ab7f\t2024-02-29\t"
                        + "2024-03-01 12:34:56.123456+00\t2024-03-01 01:02:03.000004\n",
                encode(types(STRING, BYTE, SHORT, INT, LONG, BOOLEAN, FLOAT, DOUBLE, DECIMAL, BINARY, DATE, TIMESTAMP,
                        TIMESTAMP_NTZ), row));
    }

    @Test
    void nullIsBackslashNForEveryType() {
        CopyFieldType[] all = CopyFieldType.values();
        Object[] nulls = new Object[all.length];
        String expected = String.join("\t", java.util.Collections.nCopies(all.length, "\\N")) + "\n";
        assertEquals(expected, encode(all, RowFactory.create(nulls)));
    }

    @Test
    void anEmptyStringIsNotNull() {
        assertEquals("\t\\N\n", encode(types(STRING, STRING), RowFactory.create("", null)));
    }

    @Test
    void tabNewlineCarriageReturnAndBackslashAreEscaped() {
        assertEquals("a\\tb\\nc\\rd\\\\e\\\\N\n",
                encode(types(STRING), RowFactory.create("a\tb\nc\rd\\e\\N")));
    }

    @Test
    void otherControlCharactersPassThrough() {
        assertArrayEquals(new byte[] {0x01, 0x1b, 0x7f, '\n'}, bytes(types(STRING), RowFactory.create("\u0001\u001b\u007f")));
    }

    @Test
    void utf8OfTwoThreeAndFourBytes() {
        String text = "é€😀";
        assertEquals(text + "\n", encode(types(STRING), RowFactory.create(text)));
        assertArrayEquals(new byte[] {(byte) 0xc3, (byte) 0xa9, (byte) 0xe2, (byte) 0x82, (byte) 0xac,
                (byte) 0xf0, (byte) 0x9f, (byte) 0x98, (byte) 0x80, '\n'}, bytes(types(STRING), RowFactory.create(text)));
    }

    @Test
    void utf8BoundaryCharacters() {
        String text = "\u007f\u0080\u07ff\u0800\uffff\ud800\udc00\udbff\udfff";
        assertArrayEquals((text + "\n").getBytes(StandardCharsets.UTF_8), bytes(types(STRING), RowFactory.create(text)));
    }

    @Test
    void datesAndTimestampsBeforeYearOneAndAfter9999() {
        assertEquals("0044-03-15 BC\t10000-01-01\t0001-01-01 00:00:00.000001 BC+00\n",
                encode(types(DATE, DATE, TIMESTAMP), RowFactory.create(LocalDate.of(-43, 3, 15), LocalDate.of(10000, 1, 1),
                        Instant.parse("0000-01-01T00:00:00.000001Z"))));
    }

    @Test
    void byteaIsEscapedHex() {
        assertEquals("\\\\x\t\\\\x00ff10\n", encode(types(BINARY, BINARY),
                RowFactory.create(new byte[0], new byte[] {0, (byte) 0xff, 0x10})));
    }

    @Test
    void booleansAreTAndF() {
        assertEquals("t\tf\n", encode(types(BOOLEAN, BOOLEAN), RowFactory.create(true, false)));
    }

    @Test
    void floatSpecialValues() {
        assertEquals("NaN\tInfinity\t-Infinity\t0.1\t-0.0\t1.0E10\n", encode(types(FLOAT, FLOAT, FLOAT, FLOAT, FLOAT, FLOAT),
                RowFactory.create(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0.1f, -0.0f, 1e10f)));
    }

    @Test
    void doubleSpecialValues() {
        assertEquals("NaN\tInfinity\t-Infinity\t0.1\t1.0E300\t4.9E-324\n", encode(types(DOUBLE, DOUBLE, DOUBLE, DOUBLE, DOUBLE, DOUBLE),
                RowFactory.create(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.1d, 1e300d, Double.MIN_VALUE)));
    }

    @Test
    void decimalsArePlainStrings() {
        assertEquals("1000\t0.0000001\t-12.50\t0\n", encode(types(DECIMAL, DECIMAL, DECIMAL, DECIMAL), RowFactory.create(
                new BigDecimal("1E+3").setScale(0), new BigDecimal("1E-7"), new BigDecimal("-12.50"), BigDecimal.ZERO)));
    }

    @Test
    void integersAtTheirLimits() {
        assertEquals("-128\t-32768\t-2147483648\t-9223372036854775808\n", encode(types(BYTE, SHORT, INT, LONG),
                RowFactory.create(Byte.MIN_VALUE, Short.MIN_VALUE, Integer.MIN_VALUE, Long.MIN_VALUE)));
    }

    @Test
    void datesAndTimestampsFromJavaSqlTypesAndBeforeChrist() {
        assertEquals("2024-02-29\t0044-03-15 BC\t0001-01-01 BC\t1999-12-31 23:59:59.000001+00\n",
                encode(types(DATE, DATE, DATE, TIMESTAMP), RowFactory.create(Date.valueOf("2024-02-29"),
                        LocalDate.of(-43, 3, 15), LocalDate.of(0, 1, 1),
                        Timestamp.from(Instant.parse("1999-12-31T23:59:59.000001Z")))));
    }

    @Test
    void multipleRowsFollowEachOther() {
        assertEquals("1\tone\n2\t\\N\n3\tthree\\tthree\n", encode(types(INT, STRING),
                RowFactory.create(1, "one"), RowFactory.create(2, null), RowFactory.create(3, "three\tthree")));
    }

    @Test
    void theBufferGrowsBeyondItsInitialCapacity() {
        CopyTextEncoder encoder = new CopyTextEncoder(types(STRING, BINARY), 1);
        String big = "x€\t".repeat(5000);
        byte[] blob = new byte[3000];
        Arrays.fill(blob, (byte) 0x5a);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            encoder.encode(internal(RowFactory.create(big, blob)));
            expected.append("x€\\t".repeat(5000)).append("\t\\\\x").append("5a".repeat(3000)).append('\n');
        }
        String actual = new String(encoder.buffer(), 0, encoder.length(), StandardCharsets.UTF_8);
        assertEquals(expected.toString(), actual);
        assertEquals(3 * (5000 * 6 + 1 + 3 + 6000 + 1), encoder.length());
    }

    /** Each kind of widest character, alone in a value, into a buffer with no room to spare. */
    @Test
    void theWidestCharactersGrowTheBufferEnough() {
        for (String value : new String[] {"€".repeat(1000), "\\".repeat(1000), "\t".repeat(1000), "😀".repeat(1000),
                "é".repeat(1000)}) {
            CopyTextEncoder encoder = new CopyTextEncoder(types(STRING), 1);
            encoder.encode(internal(RowFactory.create(value)));
            String escaped = value.replace("\\", "\\\\").replace("\t", "\\t");
            assertEquals(escaped + "\n", new String(encoder.buffer(), 0, encoder.length(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void clearStartsAgainAtTheBeginning() {
        CopyTextEncoder encoder = new CopyTextEncoder(types(INT), 4);
        encoder.encode(internal(RowFactory.create(123456)));
        encoder.clear();
        assertEquals(0, encoder.length());
        encoder.encode(internal(RowFactory.create(7)));
        assertEquals("7\n", new String(encoder.buffer(), 0, encoder.length(), StandardCharsets.UTF_8));
    }

    @Test
    void theTypesArrayIsCopied() {
        CopyFieldType[] types = types(INT);
        CopyTextEncoder encoder = new CopyTextEncoder(types, 8);
        types[0] = STRING;
        encoder.encode(internal(RowFactory.create(5)));
        assertEquals("5\n", new String(encoder.buffer(), 0, encoder.length(), StandardCharsets.UTF_8));
    }
}
