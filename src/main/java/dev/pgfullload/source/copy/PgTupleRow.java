package dev.pgfullload.source.copy;

import dev.pgfullload.write.BinaryCopyTuple;
import dev.pgfullload.write.CopyFieldType;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.SpecializedGettersReader;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.catalyst.util.MapData;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.unsafe.types.BinaryView;
import org.apache.spark.unsafe.types.CalendarInterval;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.unsafe.types.VariantVal;

import java.util.Arrays;

/**
 * A row of the COPY source, read in place from the binary COPY tuple the source sent: each field is
 * decoded only when it is asked for, and a binary writer with the same field types copies the tuple
 * whole ({@link BinaryCopyTuple}). The reader reuses one row for every tuple of a partition, as
 * Spark's scans do; {@link #copy()} gives a row of its own.
 */
public final class PgTupleRow extends InternalRow implements BinaryCopyTuple {

    private static final long serialVersionUID = 1L;

    private final CopyFieldType[] types;
    /** Where each field's length word is in {@link #data}. */
    private final int[] offsets;
    private byte[] data;
    private int start;
    private int end;

    PgTupleRow(CopyFieldType[] types) {
        this.types = types;
        this.offsets = new int[types.length];
    }

    /** Points the row at the tuple in {@code data[start, end)} whose fields' length words are at {@code offsets}. */
    void reset(byte[] data, int start, int end) {
        this.data = data;
        this.start = start;
        this.end = end;
    }

    /** The array the reader fills with the position of each field's length word. */
    int[] offsets() {
        return offsets;
    }

    @Override
    public CopyFieldType[] tupleTypes() {
        return types;
    }

    @Override
    public byte[] tupleBytes() {
        return data;
    }

    @Override
    public int tupleOffset() {
        return start;
    }

    @Override
    public int tupleLength() {
        return end - start;
    }

    @Override
    public int numFields() {
        return offsets.length;
    }

    @Override
    public boolean isNullAt(int ordinal) {
        return length(ordinal) < 0;
    }

    @Override
    public boolean getBoolean(int ordinal) {
        return data[value(ordinal)] != 0;
    }

    @Override
    public short getShort(int ordinal) {
        int at = value(ordinal);
        return (short) (((data[at] & 0xff) << 8) | (data[at + 1] & 0xff));
    }

    @Override
    public int getInt(int ordinal) {
        return readInt(data, value(ordinal));
    }

    @Override
    public long getLong(int ordinal) {
        int at = value(ordinal);
        return ((long) readInt(data, at) << 32) | (readInt(data, at + 4) & 0xffffffffL);
    }

    @Override
    public float getFloat(int ordinal) {
        return Float.intBitsToFloat(getInt(ordinal));
    }

    @Override
    public double getDouble(int ordinal) {
        return Double.longBitsToDouble(getLong(ordinal));
    }

    @Override
    public UTF8String getUTF8String(int ordinal) {
        return UTF8String.fromBytes(data, value(ordinal), length(ordinal));
    }

    @Override
    public byte[] getBinary(int ordinal) {
        int at = value(ordinal);
        return Arrays.copyOfRange(data, at, at + length(ordinal));
    }

    @Override
    public BinaryView getBinaryView(int ordinal) {
        return BinaryView.fromBytes(data, value(ordinal), length(ordinal));
    }

    @Override
    public Object get(int ordinal, DataType dataType) {
        return SpecializedGettersReader.read(this, ordinal, dataType, true, true);
    }

    @Override
    public byte getByte(int ordinal) {
        throw notProduced("byte");
    }

    @Override
    public Decimal getDecimal(int ordinal, int precision, int scale) {
        throw notProduced("decimal");
    }

    @Override
    public CalendarInterval getInterval(int ordinal) {
        throw notProduced("interval");
    }

    @Override
    public VariantVal getVariant(int ordinal) {
        throw notProduced("variant");
    }

    @Override
    public InternalRow getStruct(int ordinal, int numFields) {
        throw notProduced("struct");
    }

    @Override
    public ArrayData getArray(int ordinal) {
        throw notProduced("array");
    }

    @Override
    public MapData getMap(int ordinal) {
        throw notProduced("map");
    }

    @Override
    public void setNullAt(int ordinal) {
        throw new UnsupportedOperationException("a row of the COPY source is read-only: copy() it first");
    }

    @Override
    public void update(int ordinal, Object value) {
        throw new UnsupportedOperationException("a row of the COPY source is read-only: copy() it first");
    }

    @Override
    public InternalRow copy() {
        PgTupleRow copy = new PgTupleRow(types);
        for (int i = 0; i < offsets.length; i++) {
            copy.offsets[i] = offsets[i] - start;
        }
        copy.reset(Arrays.copyOfRange(data, start, end), 0, end - start);
        return copy;
    }

    @Override
    public String toString() {
        return "PgTupleRow(" + numFields() + " fields, " + tupleLength() + " bytes)";
    }

    private int length(int ordinal) {
        return readInt(data, offsets[ordinal]);
    }

    private int value(int ordinal) {
        return offsets[ordinal] + 4;
    }

    static int readInt(byte[] data, int position) {
        return ((data[position] & 0xff) << 24) | ((data[position + 1] & 0xff) << 16)
                | ((data[position + 2] & 0xff) << 8) | (data[position + 3] & 0xff);
    }

    private static UnsupportedOperationException notProduced(String type) {
        return new UnsupportedOperationException("the COPY source does not produce " + type + " values");
    }
}
