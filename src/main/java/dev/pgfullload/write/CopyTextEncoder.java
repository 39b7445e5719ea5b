package dev.pgfullload.write;

import org.apache.spark.sql.Row;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;

/**
 * Encodes rows into PostgreSQL's COPY text format, straight into one reused byte buffer: tab between
 * fields, newline after each row, {@code \N} for NULL, and backslash, tab, newline and carriage return
 * escaped inside values. Strings are encoded to UTF-8 here, without an intermediate copy.
 */
public final class CopyTextEncoder {

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final DateTimeFormatter TIMESTAMP_FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");

    private final CopyFieldType[] types;
    private byte[] buffer;
    private int length;

    public CopyTextEncoder(CopyFieldType[] types, int initialCapacity) {
        this.types = types.clone();
        this.buffer = new byte[initialCapacity];
    }

    public int length() {
        return length;
    }

    public byte[] buffer() {
        return buffer;
    }

    public void clear() {
        length = 0;
    }

    public void encode(Row row) {
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
                case STRING -> putEscaped(row.getString(i));
                case BYTE -> putAscii(Byte.toString(row.getByte(i)));
                case SHORT -> putAscii(Short.toString(row.getShort(i)));
                case INT -> putAscii(Integer.toString(row.getInt(i)));
                case LONG -> putAscii(Long.toString(row.getLong(i)));
                case BOOLEAN -> put(row.getBoolean(i) ? (byte) 't' : (byte) 'f');
                case FLOAT -> putAscii(floatText(row.getFloat(i)));
                case DOUBLE -> putAscii(doubleText(row.getDouble(i)));
                case DECIMAL -> putAscii(row.<BigDecimal>getAs(i).toPlainString());
                case BINARY -> putBytea(row.<byte[]>getAs(i));
                case DATE -> putAscii(dateText(row.get(i)));
                case TIMESTAMP -> putAscii(timestampText(row.get(i)) + "+00");
                case TIMESTAMP_NTZ -> putAscii(TIMESTAMP_FORMAT.format(row.<LocalDateTime>getAs(i)));
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

    private static String dateText(Object value) {
        LocalDate date = value instanceof Date sqlDate ? sqlDate.toLocalDate() : (LocalDate) value;
        return date.getYear() <= 0 ? date.withYear(1 - date.getYear()) + " BC" : date.toString();
    }

    private static String timestampText(Object value) {
        Instant instant = value instanceof Timestamp timestamp ? timestamp.toInstant() : (Instant) value;
        return TIMESTAMP_FORMAT.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
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

    private void putEscaped(String text) {
        int n = text.length();
        // Worst case: every char is a 3-byte UTF-8 sequence, or an escaped ASCII character (2 bytes).
        ensure(3 * n);
        byte[] out = buffer;
        int position = length;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                switch (c) {
                    case '\\' -> { out[position++] = '\\'; out[position++] = '\\'; }
                    case '\t' -> { out[position++] = '\\'; out[position++] = 't'; }
                    case '\n' -> { out[position++] = '\\'; out[position++] = 'n'; }
                    case '\r' -> { out[position++] = '\\'; out[position++] = 'r'; }
                    default -> out[position++] = (byte) c;
                }
            } else if (c < 0x800) {
                out[position++] = (byte) (0xc0 | (c >> 6));
                out[position++] = (byte) (0x80 | (c & 0x3f));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                int codePoint = Character.toCodePoint(c, text.charAt(++i));
                out[position++] = (byte) (0xf0 | (codePoint >> 18));
                out[position++] = (byte) (0x80 | ((codePoint >> 12) & 0x3f));
                out[position++] = (byte) (0x80 | ((codePoint >> 6) & 0x3f));
                out[position++] = (byte) (0x80 | (codePoint & 0x3f));
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("a string value holds an unpaired UTF-16 surrogate, which is not valid text");
            } else {
                out[position++] = (byte) (0xe0 | (c >> 12));
                out[position++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                out[position++] = (byte) (0x80 | (c & 0x3f));
            }
        }
        length = position;
    }

    private void ensure(int extra) {
        if (length + extra > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + extra));
        }
    }
}
