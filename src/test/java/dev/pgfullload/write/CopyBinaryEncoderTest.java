package dev.pgfullload.write;

import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class CopyBinaryEncoderTest {

    /** A row whose values and whose tuple bytes disagree, to see which of them the encoder wrote. */
    private static final class Tuple extends GenericInternalRow implements BinaryCopyTuple {
        private final CopyFieldType[] types;
        private final byte[] bytes;

        Tuple(CopyFieldType[] types, byte[] bytes, Object... values) {
            super(values);
            this.types = types;
            this.bytes = bytes;
        }

        @Override
        public CopyFieldType[] tupleTypes() {
            return types;
        }

        @Override
        public byte[] tupleBytes() {
            return bytes;
        }

        @Override
        public int tupleOffset() {
            return 1;
        }

        @Override
        public int tupleLength() {
            return bytes.length - 1;
        }
    }

    private static byte[] encode(CopyFieldType[] types, org.apache.spark.sql.catalyst.InternalRow row) {
        CopyBinaryEncoder encoder = new CopyBinaryEncoder(types, 16);
        encoder.encode(row);
        return Arrays.copyOf(encoder.buffer(), encoder.length());
    }

    @Test
    void aTupleWithTheEncodersFieldTypesIsCopiedWhole() {
        CopyFieldType[] types = {CopyFieldType.INT, CopyFieldType.STRING};
        byte[] bytes = {99, 0, 2, 0, 0, 0, 4, 0, 0, 0, 5, 0, 0, 0, 1, 'x'};
        assertArrayEquals(Arrays.copyOfRange(bytes, 1, bytes.length),
                encode(types, new Tuple(types.clone(), bytes, 7, UTF8String.fromString("other"))));
    }

    @Test
    void aTupleOfOtherFieldTypesIsEncodedFromItsValues() {
        CopyFieldType[] types = {CopyFieldType.INT, CopyFieldType.STRING};
        CopyFieldType[] read = {CopyFieldType.INT, CopyFieldType.BINARY};
        byte[] bytes = {99, 0, 2, 0, 0, 0, 4, 0, 0, 0, 5, 0, 0, 0, 1, 'x'};
        assertArrayEquals(new byte[] {0, 2, 0, 0, 0, 4, 0, 0, 0, 7, 0, 0, 0, 2, 'o', 'k'},
                encode(types, new Tuple(read, bytes, 7, UTF8String.fromString("ok"))));
    }
}
