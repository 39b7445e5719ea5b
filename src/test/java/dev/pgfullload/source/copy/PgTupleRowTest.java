package dev.pgfullload.source.copy;

import dev.pgfullload.write.CopyFieldType;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PgTupleRowTest {

    static final CopyFieldType[] TYPES = {CopyFieldType.SHORT, CopyFieldType.INT, CopyFieldType.LONG, CopyFieldType.BOOLEAN,
        CopyFieldType.FLOAT, CopyFieldType.DOUBLE, CopyFieldType.STRING, CopyFieldType.BINARY, CopyFieldType.STRING};

    /** Three bytes of something else, then a tuple as binary COPY sends it, then two more bytes. */
    static byte[] message(int[] offsets) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[] {9, 9, 9});
        out.writeShort(TYPES.length);
        offsets[0] = out.size();
        out.writeInt(2);
        out.writeShort(-7);
        offsets[1] = out.size();
        out.writeInt(4);
        out.writeInt(123456);
        offsets[2] = out.size();
        out.writeInt(8);
        out.writeLong(-9_000_000_000L);
        offsets[3] = out.size();
        out.writeInt(1);
        out.writeByte(1);
        offsets[4] = out.size();
        out.writeInt(4);
        out.writeFloat(1.5f);
        offsets[5] = out.size();
        out.writeInt(8);
        out.writeDouble(-2.25);
        offsets[6] = out.size();
        byte[] text = "grüße".getBytes(StandardCharsets.UTF_8);
        out.writeInt(text.length);
        out.write(text);
        offsets[7] = out.size();
        out.writeInt(3);
        out.write(new byte[] {0, (byte) 0xff, 42});
        offsets[8] = out.size();
        out.writeInt(-1);
        out.write(new byte[] {7, 7});
        return bytes.toByteArray();
    }

    static PgTupleRow row() throws IOException {
        PgTupleRow row = new PgTupleRow(TYPES);
        byte[] data = message(row.offsets());
        row.reset(data, 3, data.length - 2);
        return row;
    }

    @Test
    void everyFieldIsReadFromTheTupleInPlace() throws IOException {
        PgTupleRow row = row();
        assertEquals(9, row.numFields());
        assertEquals(-7, row.getShort(0));
        assertEquals(123456, row.getInt(1));
        assertEquals(-9_000_000_000L, row.getLong(2));
        assertTrue(row.getBoolean(3));
        assertEquals(1.5f, row.getFloat(4));
        assertEquals(-2.25, row.getDouble(5));
        assertEquals(UTF8String.fromString("grüße"), row.getUTF8String(6));
        assertArrayEquals(new byte[] {0, (byte) 0xff, 42}, row.getBinary(7));
        assertArrayEquals(new byte[] {0, (byte) 0xff, 42}, row.getBinaryView(7).getBytes());
        assertFalse(row.isNullAt(6));
        assertTrue(row.isNullAt(8));
        assertEquals(123456, row.get(1, DataTypes.IntegerType));
        assertEquals(UTF8String.fromString("grüße"), row.get(6, DataTypes.StringType));
        assertNull(row.get(8, DataTypes.StringType));
        assertEquals(3, row.tupleOffset());
        assertEquals(row.tupleBytes().length - 5, row.tupleLength());
    }

    @Test
    void aCopyKeepsItsValuesWhenTheReaderMovesOn() throws IOException {
        PgTupleRow row = row();
        InternalRow copy = row.copy();
        // The reader points its row at the next tuple; here, the bytes under it change.
        java.util.Arrays.fill(row.tupleBytes(), (byte) 0);
        assertEquals(123456, copy.getInt(1));
        assertEquals(UTF8String.fromString("grüße"), copy.getUTF8String(6));
        assertTrue(copy.isNullAt(8));
        assertEquals(0, row.getInt(1));
    }

    @Test
    void theRowIsReadOnlyAndSaysWhichTypesItDoesNotProduce() throws IOException {
        PgTupleRow row = row();
        assertEquals("a row of the COPY source is read-only: copy() it first",
                assertThrows(UnsupportedOperationException.class, () -> row.update(1, 5)).getMessage());
        assertEquals("the COPY source does not produce decimal values",
                assertThrows(UnsupportedOperationException.class, () -> row.getDecimal(1, 10, 2)).getMessage());
    }
}
