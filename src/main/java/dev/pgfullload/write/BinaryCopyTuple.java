package dev.pgfullload.write;

/**
 * A row that still holds its tuple in binary COPY's wire form, as a PostgreSQL source sent it: a
 * field count, then per field its length (-1 for NULL) and its bytes. When the tuple's field types
 * are the writer's, {@link CopyBinaryEncoder} copies it whole instead of encoding it field by field:
 * the bytes are the same either way.
 */
public interface BinaryCopyTuple {

    /** The wire form of each field, in order; the same array for every row of one reader. */
    CopyFieldType[] tupleTypes();

    byte[] tupleBytes();

    /** Where the tuple's field count starts in {@link #tupleBytes()}. */
    int tupleOffset();

    int tupleLength();
}
