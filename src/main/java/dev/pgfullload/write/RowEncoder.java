package dev.pgfullload.write;

import org.apache.spark.sql.catalyst.InternalRow;

/** Appends rows to a reused buffer in one of COPY's formats. */
public interface RowEncoder {

    /** Bytes that open the COPY stream (empty for text). */
    byte[] header();

    /** Bytes that close the COPY stream (empty for text). */
    byte[] trailer();

    void encode(InternalRow row);

    byte[] buffer();

    int length();

    void clear();

    static RowEncoder of(WriteSpec spec, int initialCapacity) {
        CopyFieldType[] types = spec.fieldTypes().toArray(CopyFieldType[]::new);
        return spec.binary() ? new CopyBinaryEncoder(types, initialCapacity) : new CopyTextEncoder(types, initialCapacity);
    }
}
