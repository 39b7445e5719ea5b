package dev.pgfullload.write;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.types.UTF8String;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * Encodes rows into PostgreSQL's COPY text format, straight into one reused byte buffer: tab between
 * fields, newline after each row, {@code \N} for NULL, and backslash, tab, newline and carriage return
 * escaped inside values. Strings arrive as Spark's UTF-8 bytes and are copied as they are.
 */
public final class CopyTextEncoder implements RowEncoder {

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final CopyFieldType[] types;
    private byte[] buffer;
    private int length;

    public CopyTextEncoder(CopyFieldType[] types, int initialCapacity) {
        this.types = types.clone();
        this.buffer = new byte[initialCapacity];
    }

    @Override
    public byte[] header() {
        return new byte[0];
    }

    @Override
    public byte[] trailer() {
        return new byte[0];
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public byte[] buffer() {
        return buffer;
    }

    @Override
    public void clear() {
        length = 0;
    }

    /** Appends one row in Spark's internal form: strings stay UTF-8 bytes, never decoded to Java strings. */
    @Override
    public void encode(InternalRow row) {
        for (int i = 0; i < types.length; i++) {
            if (i > 0) {
                put((byte) '\t');
            }
            if (row.isNullAt(i)) {
                ensure(2);
                buffer[length++] = '\\';
                buffer[length++] = 'N';
                continue;
            }
            switch (types[i]) {
                case STRING -> putEscaped(row.getUTF8String(i));
                case BYTE -> putAscii(Byte.toString(row.getByte(i)));
                case SHORT -> putAscii(Short.toString(row.getShort(i)));
                case INT -> putLong(row.getInt(i));
                case LONG -> putLong(row.getLong(i));
                case BOOLEAN -> put(row.getBoolean(i) ? (byte) 't' : (byte) 'f');
                case FLOAT -> putAscii(floatText(row.getFloat(i)));
                case DOUBLE -> putAscii(doubleText(row.getDouble(i)));
                case DECIMAL -> putAscii(row.getDecimal(i, DecimalType.MAX_PRECISION(), 0).toJavaBigDecimal().toPlainString());
                case BINARY -> putBytea(row.getBinary(i));
                case DATE -> putAscii(dateText(LocalDate.ofEpochDay(row.getInt(i))));
                case TIMESTAMP -> putAscii(timestampText(LocalDateTime.ofEpochSecond(Math.floorDiv(row.getLong(i), 1_000_000L),
                        (int) Math.floorMod(row.getLong(i), 1_000_000L) * 1000, ZoneOffset.UTC)) + "+00");
                case TIMESTAMP_NTZ -> putAscii(timestampText(LocalDateTime.ofEpochSecond(Math.floorDiv(row.getLong(i), 1_000_000L),
                        (int) Math.floorMod(row.getLong(i), 1_000_000L) * 1000, ZoneOffset.UTC)));
            }
        }
        put((byte) '\n');
    }

    static String floatText(float value) {
        if (Float.isNaN(value)) {
            return "NaN";
        }
        if (Float.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        return Float.toString(value);
    }

    static String doubleText(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        return Double.toString(value);
    }

    /** PostgreSQL's ISO form: years above 9999 as they are, years before 1 as BC. */
    static String dateText(LocalDate date) {
        int year = date.getYear();
        String text = String.format(java.util.Locale.ROOT, "%04d-%02d-%02d", year <= 0 ? 1 - year : year,
                date.getMonthValue(), date.getDayOfMonth());
        return year <= 0 ? text + " BC" : text;
    }

    static String timestampText(LocalDateTime time) {
        int year = time.getYear();
        String text = String.format(java.util.Locale.ROOT, "%04d-%02d-%02d %02d:%02d:%02d.%06d", year <= 0 ? 1 - year : year,
                time.getMonthValue(), time.getDayOfMonth(), time.getHour(), time.getMinute(), time.getSecond(),
                time.getNano() / 1000);
        return year <= 0 ? text + " BC" : text;
    }

    private void putLong(long value) {
        if (value == Long.MIN_VALUE) {
            putAscii(Long.toString(value));
            return;
        }
        ensure(20);
        if (value < 0) {
            buffer[length++] = '-';
            value = -value;
        }
        int start = length;
        do {
            buffer[length++] = (byte) ('0' + value % 10);
            value /= 10;
        } while (value != 0);
        for (int i = start, j = length - 1; i < j; i++, j--) {
            byte swap = buffer[i];
            buffer[i] = buffer[j];
            buffer[j] = swap;
        }
    }

    private void put(byte b) {
        ensure(1);
        buffer[length++] = b;
    }

    private void putAscii(String text) {
        int n = text.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buffer[length++] = (byte) text.charAt(i);
        }
    }

    private void putBytea(byte[] bytes) {
        ensure(3 + 2 * bytes.length);
        // "\x" itself needs its backslash escaped in COPY text.
        buffer[length++] = '\\';
        buffer[length++] = '\\';
        buffer[length++] = 'x';
        for (byte b : bytes) {
            buffer[length++] = HEX[(b >> 4) & 0xf];
            buffer[length++] = HEX[b & 0xf];
        }
    }

    /**
     * Copies UTF-8 bytes as they are, escaping only backslash, tab, newline and carriage return: runs
     * without those are copied in bulk (the common case is one run per value).
     */
    private void putEscaped(UTF8String text) {
        int n = text.numBytes();
        ensure(2 * n);
        byte[] source;
        int start;
        if (text.getBaseObject() instanceof byte[] bytes) {
            source = bytes;
            start = (int) (text.getBaseOffset() - Platform.BYTE_ARRAY_OFFSET);
        } else {
            source = text.getBytes();
            start = 0;
        }
        byte[] out = buffer;
        int position = length;
        int run = start;
        int end = start + n;
        for (int i = start; i < end; i++) {
            byte b = source[i];
            if (b != '\\' && (b > '\r' || b < '\t')) {
                continue;
            }
            byte escaped = switch (b) {
                case '\\' -> (byte) '\\';
                case '\t' -> (byte) 't';
                case '\n' -> (byte) 'n';
                case '\r' -> (byte) 'r';
                default -> 0;
            };
            if (escaped == 0) {
                continue;
            }
            System.arraycopy(source, run, out, position, i - run);
            position += i - run;
            out[position++] = '\\';
            out[position++] = escaped;
            run = i + 1;
        }
        System.arraycopy(source, run, out, position, end - run);
        length = position + end - run;
    }

    private void ensure(int extra) {
        if (length + extra > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + extra));
        }
    }
}
