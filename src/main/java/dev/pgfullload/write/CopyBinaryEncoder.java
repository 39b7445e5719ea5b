package dev.pgfullload.write;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.types.UTF8String;

import java.util.Arrays;

/**
 * Encodes rows into PostgreSQL's binary COPY format: per row a field count, then per field its length
 * (-1 for NULL) and its bytes. Strings and binary values are copied as they are, with no escaping;
 * a {@link CopyFieldType#BINARY} field may hold bytea or, for a column read in its own binary form, that
 * form, which the target reads back for the same type. A {@link BinaryCopyTuple} whose field types are
 * this encoder's is already in this form, and is copied whole.
 */
public final class CopyBinaryEncoder implements RowEncoder {

    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};
    private static final byte[] TRAILER = {(byte) 0xff, (byte) 0xff};

    private final CopyFieldType[] types;
    private byte[] buffer;
    private int length;
    /** The field types of the last {@link BinaryCopyTuple} seen (one array per reader), and whether they are ours. */
    private CopyFieldType[] tupleTypes;
    private boolean tupleMatches;

    public CopyBinaryEncoder(CopyFieldType[] types, int initialCapacity) {
        for (CopyFieldType type : types) {
            switch (type) {
                case STRING, BYTE, SHORT, INT, LONG, BOOLEAN, FLOAT, DOUBLE, BINARY -> { }
                case DECIMAL, DATE, TIMESTAMP, TIMESTAMP_NTZ ->
                        throw new IllegalArgumentException("binary COPY is not used for " + type + " fields; use text");
            }
        }
        this.types = types.clone();
        this.buffer = new byte[Math.max(16, initialCapacity)];
    }

    @Override
    public byte[] header() {
        return HEADER.clone();
    }

    @Override
    public byte[] trailer() {
        return TRAILER.clone();
    }

    @Override
    public void encode(InternalRow row) {
        if (row instanceof BinaryCopyTuple tuple && sameFieldTypes(tuple.tupleTypes())) {
            int n = tuple.tupleLength();
            ensure(n);
            System.arraycopy(tuple.tupleBytes(), tuple.tupleOffset(), buffer, length, n);
            length += n;
            return;
        }
        ensure(2 + types.length * 12);
        putShort(types.length);
        for (int i = 0; i < types.length; i++) {
            if (row.isNullAt(i)) {
                putInt(-1);
                continue;
            }
            switch (types[i]) {
                case STRING -> putString(row.getUTF8String(i));
                case BYTE -> {
                    putInt(2);
                    putShort(row.getByte(i));
                }
                case SHORT -> {
                    putInt(2);
                    putShort(row.getShort(i));
                }
                case INT -> {
                    putInt(4);
                    putInt(row.getInt(i));
                }
                case LONG -> {
                    putInt(8);
                    putLong(row.getLong(i));
                }
                case BOOLEAN -> {
                    putInt(1);
                    buffer[length++] = (byte) (row.getBoolean(i) ? 1 : 0);
                }
                case FLOAT -> {
                    putInt(4);
                    putInt(Float.floatToRawIntBits(row.getFloat(i)));
                }
                case DOUBLE -> {
                    putInt(8);
                    putLong(Double.doubleToRawLongBits(row.getDouble(i)));
                }
                case BINARY -> {
                    byte[] bytes = row.getBinary(i);
                    ensure(4 + bytes.length);
                    putInt(bytes.length);
                    System.arraycopy(bytes, 0, buffer, length, bytes.length);
                    length += bytes.length;
                }
                case DECIMAL, DATE, TIMESTAMP, TIMESTAMP_NTZ -> throw new IllegalStateException("not a binary field: " + types[i]);
            }
            ensure(12);
        }
    }

    private boolean sameFieldTypes(CopyFieldType[] given) {
        if (given != tupleTypes) {
            tupleTypes = given;
            tupleMatches = Arrays.equals(given, types);
        }
        return tupleMatches;
    }

    private void putString(UTF8String text) {
        int n = text.numBytes();
        ensure(4 + n);
        putInt(n);
        if (text.getBaseObject() instanceof byte[] bytes) {
            // System.arraycopy is an intrinsic in every JIT tier; Unsafe copies are checked call by call under C1.
            System.arraycopy(bytes, (int) (text.getBaseOffset() - Platform.BYTE_ARRAY_OFFSET), buffer, length, n);
        } else {
            Platform.copyMemory(text.getBaseObject(), text.getBaseOffset(), buffer, Platform.BYTE_ARRAY_OFFSET + length, n);
        }
        length += n;
    }

    private void putShort(int value) {
        buffer[length++] = (byte) (value >>> 8);
        buffer[length++] = (byte) value;
    }

    private void putInt(int value) {
        buffer[length++] = (byte) (value >>> 24);
        buffer[length++] = (byte) (value >>> 16);
        buffer[length++] = (byte) (value >>> 8);
        buffer[length++] = (byte) value;
    }

    private void putLong(long value) {
        putInt((int) (value >>> 32));
        putInt((int) value);
    }

    private void ensure(int extra) {
        if (length + extra > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + extra));
        }
    }

    @Override
    public byte[] buffer() {
        return buffer;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public void clear() {
        length = 0;
    }
}
